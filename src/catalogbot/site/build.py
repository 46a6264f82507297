"""Write the site into one folder, and nowhere else."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from catalogbot.catalog import Catalog
from catalogbot.errors import UsageError
from catalogbot.site.figures import changes, compute, overview
from catalogbot.site.history import History
from catalogbot.site.index_page import page_name, pages_of, render_index, rows
from catalogbot.site.resource_page import render_resource

_SAFE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def prepare_out(out: Path) -> Path:
    """The output folder, created when missing; UsageError when it cannot hold the site."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: is not a folder; give the folder the site goes in")
    resources = out / "resources"
    if resources.is_symlink() or (resources.exists() and not resources.is_dir()):
        raise UsageError(f"{resources}: must be a folder, not a link or a file")
    try:
        resources.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{out}: cannot be created ({error.strerror or error})") from None
    return out


def _write(folder: Path, name: str, text: str) -> None:
    """Write ``folder/name`` by rename, so a link planted there is replaced, not followed."""
    if not _SAFE_NAME.match(name.removesuffix(".html")) or not name.endswith(".html"):
        raise ValueError(f"refusing the file name {name!r}")
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_site(
    out: Path, catalog: Catalog, history: History, github: tuple[str, str] | None = None
) -> int:
    """Write index pages and one page per resource into ``out``; return the page count."""
    figures = compute(history, (r.id for r in catalog.resources))
    view = overview(history, figures)
    ats = [run.at for run in history.runs]
    pages = pages_of(rows(catalog))
    where: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for number, rows_here in enumerate(pages, 1):
        for row in rows_here:
            where.setdefault(row.resource_id, f"{page_name(number)}#{row.group_anchor}")
            if row.level:
                groups.setdefault(row.resource_id, []).append(f"{row.group} ({row.level})")
    written = 0
    try:
        for name, text in render_index(catalog, figures, view, ats, pages):
            _write(out, name, text)
            written += 1
        folder = out / "resources"
        for resource in catalog.resources:
            f = figures[resource.id]
            text = render_resource(
                resource,
                f,
                changes(f, history),
                history.evidence.get(resource.id),
                ats,
                groups.get(resource.id, []),
                where.get(resource.id, "index.html"),
                github,
            )
            _write(folder, f"{resource.id}.html", text)
            written += 1
    except OSError as error:
        raise UsageError(f"{out}: the site cannot be written ({error.strerror or error})") from None
    return written
