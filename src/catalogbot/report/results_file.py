"""The results file: what ``check --json`` writes and ``sync`` (or any tool) reads.

One typed model, with its writer and its reader side by side. The reader is strict
about what it uses: a results file can be edited by hand or come from another version,
so a value of the wrong type (``"offline": "false"``), an unknown ``format``, an
unknown status, reason or warning, or an id that appears twice is refused with one line
that names the field. Only ``results`` and, in each result, ``id``, ``url``, ``status``
and ``reason`` are required (other tools write minimal files); fields this version does
not know are ignored, as a newer version of the same format may add some.

A result's fields are those of ``CheckResult`` in its order, then the catalog's title
and the line of its url; ``network_error``, ``snapshot`` and ``evidence`` appear only
when set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from catalogbot import __version__
from catalogbot.catalog.load import CatalogFile
from catalogbot.check.result import REPORT_ORDER, CheckResult, Status
from catalogbot.check.shards import MAX_SHARDS
from catalogbot.errors import UsageError
from catalogbot.report.context import ReportContext

RESULTS_FORMAT = 1
"""The version of the layout below; a reader refuses any other."""
MAX_RESULTS_BYTES = 200 * 1024 * 1024
OMITTED_WHEN_EMPTY = ("network_error", "snapshot", "evidence")
"""Fields written only when they hold something, as files before them had them."""
OMITTED_RUN_FIELDS = ("catalog_digest", "shard")
"""The run's fields written only when known (a run chosen by ``--only`` is no shard)."""


@dataclass(frozen=True, slots=True)
class ResultLine(CheckResult):
    """One result as the file has it: the result, and where the catalog lists it."""

    catalog_title: str = ""
    """The catalog's own title for the resource."""
    line: int = 0
    """Line of the resource's url in the catalog file."""

    @classmethod
    def of(cls, result: CheckResult, catalog_title: str, line: int) -> ResultLine:
        values = {name: getattr(result, name) for name in _RESULT_FIELDS}
        return cls(**values, catalog_title=catalog_title, line=line)


_RESULT_FIELDS = tuple(f.name for f in fields(CheckResult))
ResultLine.__pydantic_config__ = ConfigDict(extra="ignore", strict=True)  # type: ignore[attr-defined]


class ShardField(BaseModel):
    """Which shard of a run the file holds: ``{"index": K, "count": N}``, 1-based."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    index: int
    count: int

    @model_validator(mode="after")
    def _exists(self) -> ShardField:
        if not 1 <= self.count <= MAX_SHARDS or not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index} of {self.count} cannot exist")
        return self


class ResultsFile(BaseModel):
    """A whole results file."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    format: int = RESULTS_FORMAT
    tool: str = ""
    """The catalogbot that wrote the file, e.g. ``catalogbot 0.1.0``."""
    catalog: str = ""
    """Path of the catalog that was checked."""
    started_at: str = ""
    finished_at: str = ""
    offline: bool = False
    """The runner could not reach the internet: no entry was judged for it."""
    offline_detail: str | None = None
    catalog_digest: str | None = None
    """What identifies the catalog checked (``sha256:HEX`` of its text): shards of one
    run name the same one."""
    shard: ShardField | None = None
    """The part of the catalog checked: 1 of 1 for a whole run; absent when ``--only``
    chose the entries (or an older catalogbot wrote the file)."""
    summary: dict[Status, int] = {}
    """How many results have each status, in REPORT_ORDER."""
    results: tuple[ResultLine, ...]

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != RESULTS_FORMAT:
            raise ValueError(
                f"format {value} is not one this catalogbot reads (it reads format "
                f"{RESULTS_FORMAT})"
            )
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> ResultsFile:
        seen: set[str] = set()
        for index, result in enumerate(self.results):
            if result.id in seen:
                raise ValueError(f"results[{index}].id: {result.id!r} appears more than once")
            seen.add(result.id)
        return self


def _run_fields(context: ReportContext) -> ResultsFile:
    """The results file of a finished run without its results, which ``ResultLines``
    renders one at a time.

    Built without validation: its values are typed already.
    """
    run = context.run
    return ResultsFile.model_construct(
        format=RESULTS_FORMAT,
        tool=f"catalogbot {__version__}",
        catalog=str(context.catalog.path),
        started_at=run.started_at,
        finished_at=run.finished_at,
        offline=run.offline,
        offline_detail=run.offline_detail or None,
        catalog_digest=context.catalog.identity,
        shard=ShardField.model_construct(index=run.shard.index, count=run.shard.count)
        if run.shard is not None
        else None,
        summary={status: context.counts[status] for status in REPORT_ORDER},
        results=(),
    )


def dump_results(document: ResultsFile) -> str:
    """The file's text: the run's fields indented, one result per line (see
    ``results_pieces``)."""
    return "".join(results_pieces(document))


def results_pieces(document: ResultsFile) -> Iterator[str]:
    """The file's text in pieces, to be written one after another.

    One line per result keeps a diff of two results files readable, and writing each
    compactly is four times faster than indenting everything (10,000 results, measured).
    Results are turned into JSON one at a time and written as they come: all 100,000 of
    a large run as dictionaries and text at once took 300 MB more (measured).
    """
    lines = (_result_json(result) for result in document.results)
    return _pieces(document, lines, len(document.results))


def _pieces(head: ResultsFile, lines: Iterator[str], count: int) -> Iterator[str]:
    """The file's text: the run's fields of ``head``, then the ``count`` result lines."""
    data = head.model_dump(mode="json", exclude={"results"})
    for key in OMITTED_RUN_FIELDS:
        if data.get(key) is None:
            data.pop(key, None)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if not count:
        yield f'{text[:-2]},\n  "results": []\n}}\n'
        return
    yield f'{text[:-2]},\n  "results": [\n'
    for index, line in enumerate(lines):
        yield f"    {line}{',' if index < count - 1 else ''}\n"
    yield "  ]\n}\n"


_RESULT_LINE: TypeAdapter[ResultLine] = TypeAdapter(ResultLine)


def _result_json(result: ResultLine) -> str:
    return json.dumps(_trimmed(_RESULT_LINE.dump_python(result, mode="json")), ensure_ascii=False)


def _trimmed(result: dict[str, Any]) -> dict[str, Any]:
    for key in OMITTED_WHEN_EMPTY:
        if result[key] is None:
            del result[key]
    return result


class ResultLines:
    """Each result's line of the results file, rendered as the result arrives.

    An observer of the run: a large run's lines are rendered while its requests are in
    flight instead of after the last answer (0.15 s for 10,000 results, measured). A
    result the run's judgement replaced at the end (offline, relocated) is rendered
    again when the file is written.
    """

    def __init__(self, catalog: CatalogFile) -> None:
        self._catalog = catalog
        self._lines: dict[str, tuple[CheckResult, str]] = {}

    def started(self, total: int) -> None:
        del total

    def finished(self, result: CheckResult) -> None:
        self._lines[result.id] = (result, self._render(result))

    def line(self, result: CheckResult) -> str:
        """The line of ``result``, rendered when it arrived if it is that very result."""
        kept = self._lines.get(result.id)
        return kept[1] if kept is not None and kept[0] is result else self._render(result)

    def _render(self, result: CheckResult) -> str:
        line = self._catalog.url_position(result.id).line
        title = self._catalog.by_id[result.id].title
        return _result_json(ResultLine.of(result, title, line))


def render_results_pieces(
    context: ReportContext, lines: ResultLines | None = None
) -> Iterator[str]:
    """The results file's text for a finished run, in pieces (for large runs), with the
    lines ``lines`` rendered as the results arrived."""
    lines = lines or ResultLines(context.catalog)
    results = context.run.results
    return _pieces(
        _run_fields(context),
        (lines.line(result) for result in results),
        len(results),
    )


def parse_results(text: str | bytes) -> ResultsFile:
    """Read a results file's text; ValueError with one line naming the field at fault."""
    try:
        return ResultsFile.model_validate_json(text)
    except ValidationError as error:
        raise ValueError(_first_problem(error)) from None


def read_results(path: Path) -> ResultsFile:
    """Read a results file written by ``catalogbot check --json``; UsageError if unusable."""
    try:
        if path.stat().st_size > MAX_RESULTS_BYTES:
            raise UsageError(f"{path}: larger than {MAX_RESULTS_BYTES:,} bytes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such results file (write one with check --json)") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return parse_results(data)
    except ValueError as error:
        raise UsageError(f"{path}: {error}") from None


def _where(location: tuple[int | str, ...]) -> str:
    """``results[3].redirects[0].status`` as ``result 3 is malformed: redirects[0].status``."""
    prefix = ""
    if len(location) >= 2 and location[0] == "results" and isinstance(location[1], int):
        prefix, location = f"result {location[1]} is malformed: ", location[2:]
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return prefix + (f"{text}: " if text else "")


def _first_problem(error: ValidationError) -> str:
    """The most telling problem: the format first, since a file of another format may
    differ everywhere; then the first one found, with a count of the others."""
    problems = error.errors(include_url=False)
    first = next((p for p in problems if p["loc"] == ("format",)), problems[0])
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{_where(tuple(first['loc']))}{_message(first)}{more}"


def _message(problem: ErrorDetails) -> str:
    kind = problem["type"]
    if kind == "json_invalid":
        return f"not JSON ({problem['ctx'].get('error', 'invalid') if 'ctx' in problem else ''})"
    if kind == "enum":
        return f"unknown value {problem['input']!r}"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "not a field of this results format"
    if kind == "missing":
        return "missing"
    if kind == "value_error":
        ctx: Mapping[str, Any] = problem.get("ctx", {})
        return str(ctx.get("error", problem["msg"]))
    return f"{problem['msg'][0].lower()}{problem['msg'][1:]}, not {_shown(problem['input'])}"


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, bytes) else "?"
    return text if len(text) <= 40 else f"{text[:37]}..."
