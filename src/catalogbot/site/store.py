"""The history file: JSON Lines, one compact line per run, written atomically.

Line 1 names the format; an optional ``summary`` line holds the folded old runs; then
one line per run, oldest first (``ids`` only when they differ from the line before);
the last line holds the latest evidence. Every line is a JSON object, so ``git diff``
of the file shows one new line per run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogbot.errors import UsageError
from catalogbot.files import write_atomic
from catalogbot.site.codec import check_letters, decode_times, encode_times
from catalogbot.site.history import Folded, History, StoredRun, Summary, when

FORMAT = 1
MAX_HISTORY_BYTES = 500 * 1024 * 1024


def dumps(history: History) -> str:
    """The history file's text."""
    lines = [_line({"catalogbot_history": FORMAT})]
    if history.summary is not None:
        s = history.summary
        entries = {k: [f.checked, f.up, f.last, f.since] for k, f in sorted(s.entries.items())}
        lines.append(
            _line({"summary": {"runs": s.runs, "from": s.first_at, "to": s.last_at}, "e": entries})
        )
    previous: tuple[str, ...] | None = None
    for run in history.runs:
        data: dict[str, Any] = {"at": run.at}
        if run.offline:
            data["offline"] = True
        if run.ids != previous:
            data["ids"] = list(run.ids)
            previous = run.ids
        data["s"] = run.letters
        data["t"] = encode_times(run.times)
        if run.reasons:
            data["r"] = {str(k): v for k, v in sorted(run.reasons.items())}
        lines.append(_line(data))
    lines.append(_line({"evidence": dict(sorted(history.evidence.items()))}))
    return "".join(lines)


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def loads(text: str, name: str) -> History:
    """Read a history file's text; UsageError naming the line when it is damaged."""
    history = History()
    ids: tuple[str, ...] | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            if number == 1:
                if data.get("catalogbot_history") != FORMAT:
                    raise ValueError("not a catalogbot history file (format 1)")
            elif "summary" in data:
                history.summary = _summary(data)
            elif "evidence" in data:
                evidence = data["evidence"]
                if not isinstance(evidence, dict) or not all(
                    isinstance(v, dict) for v in evidence.values()
                ):
                    raise ValueError("evidence must map ids to objects")
                history.evidence = evidence
            else:
                run = _run(data, ids)
                if history.runs and when(run.at) <= when(history.runs[-1].at):
                    raise ValueError("runs must be in time order")
                ids = run.ids
                history.runs.append(run)
        except (ValueError, TypeError, KeyError, RecursionError) as error:
            raise UsageError(f"{name}:{number}: damaged history line ({error})") from None
    if not lines:
        raise UsageError(f"{name}: empty, not a catalogbot history file")
    return history


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def _run(data: dict[str, Any], ids: tuple[str, ...] | None) -> StoredRun:
    at = _text(data["at"], "at")
    when(at)
    if "ids" in data:
        given = data["ids"]
        if not isinstance(given, list):
            raise ValueError("ids must be a list")
        ids = tuple(_text(i, "an id") for i in given)
    if ids is None:
        raise ValueError("the first run must list its ids")
    letters = check_letters(_text(data["s"], "s"))
    times = decode_times(_text(data["t"], "t"))
    if len(letters) != len(ids) or len(times) != len(ids):
        raise ValueError("verdicts, times and ids differ in number")
    reasons_data = data.get("r", {})
    if not isinstance(reasons_data, dict):
        raise ValueError("r must be an object")
    reasons = {int(k): _text(v, "a reason") for k, v in reasons_data.items()}
    if any(not 0 <= k < len(ids) for k in reasons):
        raise ValueError("a reason names no entry of its run")
    return StoredRun(at, data.get("offline") is True, ids, letters, times, reasons)


def _summary(data: dict[str, Any]) -> Summary:
    head, entries = data["summary"], data["e"]
    if not isinstance(head, dict) or not isinstance(entries, dict):
        raise ValueError("summary and e must be objects")
    folded = {}
    for key, value in entries.items():
        checked, up, last, since = value
        if not all(isinstance(n, int) and n >= 0 for n in (checked, up)) or up > checked:
            raise ValueError(f"bad totals for {key!r}")
        folded[key] = Folded(checked, up, check_letters(_text(last, "last")), _text(since, "since"))
    runs = head["runs"]
    if not isinstance(runs, int) or runs < 0:
        raise ValueError("summary runs must be a whole number")
    first, last = _text(head["from"], "from"), _text(head["to"], "to")
    when(first)
    when(last)
    return Summary(runs, first, last, folded)


def read_history(path: Path) -> History:
    """The history in ``path``; empty when the file does not exist yet."""
    try:
        if path.stat().st_size > MAX_HISTORY_BYTES:
            raise UsageError(f"{path}: larger than {MAX_HISTORY_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return History()
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder; give the history file's name") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read ({error})") from None
    return loads(text, str(path))


def write_history(path: Path, history: History) -> None:
    """Replace the history file in one step, so a reader never sees half of it."""
    if not path.parent.is_dir():
        raise UsageError(f"{path}: the folder {path.parent} does not exist")
    try:
        write_atomic(path, dumps(history))
    except OSError as error:
        raise UsageError(f"{path}: cannot be written ({error.strerror or error})") from None
