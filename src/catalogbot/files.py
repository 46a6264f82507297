"""Reading and writing files so that nothing hangs, and a reader never sees half of one."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class NotARegularFileError(OSError):
    """The path is a FIFO, a device or a socket: reading it could block for ever."""


def read_start(path: Path, size: int) -> bytes:
    """At most the first ``size`` bytes of a regular file, in one read; errors as
    ``read_regular``'s. For a file's header, read for every page a run checks."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _check_regular(os.fstat(handle).st_mode, path)
        return os.read(handle, size)  # a regular file reads whole, non-blocking or not
    finally:
        os.close(handle)


def _check_regular(mode: int, path: Path) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(
            errno.EINVAL, "not a regular file (a pipe, device or socket)", str(path)
        )


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file.

    The file is opened without blocking and checked before it is read, so a FIFO or a
    terminal given by mistake is refused at once instead of waiting for a writer.
    IsADirectoryError for a folder, NotARegularFileError for anything else that is not
    a plain file, other OSErrors as the system reports them.
    """
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(handle)
        _check_regular(status.st_mode, path)
        os.set_blocking(handle, True)
        with os.fdopen(handle, "rb") as stream:
            handle = -1
            # Asking for ``limit`` bytes at once allocates all of them first (20 MB for a
            # snapshot of a few kilobytes); ask for what the file holds, plus one byte
            # that shows whether it grew since, and only then for the rest.
            expected = min(limit, status.st_size + 1)
            data = stream.read(expected)
            if len(data) == expected < limit:
                data += stream.read(limit - expected)
            return data
    finally:
        if handle >= 0:
            os.close(handle)


def write_atomic(path: Path, text: str | Iterable[str], mode: int = 0o644) -> None:
    """Write ``text`` (or its pieces, one after another) to ``path`` through a temporary
    file and a rename."""
    directory = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            if isinstance(text, str):
                out.write(text)
            else:
                out.writelines(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
