"""Turn the bytes of catalog.yaml into a validated Catalog, or into every problem at once."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from catalogbot.catalog.errors import CatalogError
from catalogbot.catalog.model import Catalog, Resource, field_names, nested_type, validate_catalog
from catalogbot.catalog.positions import Document, Path
from catalogbot.catalog.problems import Position, Problem
from catalogbot.catalog.suggest import Suggestions
from catalogbot.catalog.urls import url_facts
from catalogbot.catalog.yamlsource import YamlError, read_yaml
from catalogbot.collector import paused_gc
from catalogbot.errors import UsageError
from catalogbot.files import read_regular

MAX_CATALOG_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class CatalogFile:
    """A validated catalog together with the file it came from."""

    path: FilePath
    text: str
    catalog: Catalog
    document: Document

    @cached_property
    def by_id(self) -> dict[str, Resource]:
        """The catalog's resources by id."""
        return {resource.id: resource for resource in self.catalog.resources}

    @cached_property
    def _url_positions(self) -> dict[str, Position]:
        return {
            resource.id: self.document.position(("resources", index, "url"))
            for index, resource in enumerate(self.catalog.resources)
        }

    @cached_property
    def identity(self) -> str:
        """What tells this catalog from any other, as ``sha256:HEX``: the digest of its
        text (the file's bytes less a byte-order mark). The shards of one run record it,
        so that results of different catalogs are never merged."""
        return catalog_identity(self.text)

    def url_position(self, resource_id: str) -> Position:
        """Where the resource's ``url:`` value is written (KeyError for an unknown id)."""
        return self._url_positions[resource_id]


def catalog_identity(text: str) -> str:
    """``sha256:HEX`` of a catalog's text encoded as UTF-8."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_catalog(path: FilePath) -> CatalogFile:
    """Read and validate the catalog at ``path``.

    Raises UsageError when the file cannot be read at all and CatalogError (with every
    problem, in file order) when it is not a valid catalog.
    """
    try:
        data = read_regular(path, MAX_CATALOG_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file (give the catalog's path)") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a catalog file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(
            str(path),
            [Problem(Position(1, 1), f"the file is larger than {MAX_CATALOG_BYTES:,} bytes")],
        )
    text = decode(data, str(path))
    del data  # a large catalog's bytes need not outlive its text
    document, catalog = _parse_text(text, str(path))
    return CatalogFile(path=path, text=text, catalog=catalog, document=document)


def decode(data: bytes, name: str) -> str:
    """The catalog's text; only UTF-8 (with or without a byte-order mark) is accepted."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogError(name, [Problem(Position(1, 1), "the file is UTF-16; save it as UTF-8")])
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        raise CatalogError(
            name,
            [
                Problem(
                    Position(line, column),
                    f"byte 0x{byte:02x} is not valid UTF-8; save the file as UTF-8",
                )
            ],
        ) from None


def parse_catalog(data: bytes, name: str = "catalog.yaml") -> tuple[str, Document, Catalog]:
    """Validate catalog bytes; raise CatalogError listing every problem."""
    text = decode(data, name)
    document, catalog = _parse_text(text, name)
    return text, document, catalog


def _parse_text(text: str, name: str) -> tuple[Document, Catalog]:
    """The catalog in ``text`` and where its parts are written (without the plain
    values it was validated from: a large catalog is not held twice)."""
    with paused_gc():
        try:
            document = read_yaml(text)
        except YamlError as error:
            raise CatalogError(name, error.problems) from None
        if not isinstance(document.data, dict):
            kind = "empty" if document.data is None else f"a {_kind(document.data)}"
            raise CatalogError(
                name,
                [
                    Problem(
                        document.position(()),
                        "the catalog must be a mapping with 'version: 1' and 'resources:', "
                        f"not {kind}",
                    )
                ],
            )
        urls = _url_facts(document)
        problems = [*document.problems, *_cross_reference_problems(document, urls)]
        catalog: Catalog | None = None
        try:
            catalog = validate_catalog(
                document.data, url_problems={url: facts[0] for url, facts in urls.items()}
            )
        except ValidationError as error:
            problems.extend(_translate(error, document))
        if problems or catalog is None:
            raise CatalogError(name, sorted(set(problems)))
        return replace(document, data=None), catalog


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false value"
    return "number" if isinstance(value, int | float) else "value"


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(path: tuple[Any, ...]) -> type | None:
    """The catalog type whose fields live at ``path`` (for 'did you mean' suggestions)."""
    model: type | None = Catalog
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        model = nested_type(model, part)
    return model


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """The part of pydantic's error location that names places in the document.

    Locations also name union members and validators (``function-after[...]``); those
    are dropped by following the location through the data. A last part that is not in
    the data is kept: it names a missing field.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_data = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if in_data:
            node = node[part]
        elif index < len(loc) - 1:
            continue
        path.append(part)
    return tuple(path)


def _translate(error: ValidationError, document: Document) -> Iterator[Problem]:
    for item in error.errors(include_url=False):
        path = _data_path(document.data, item["loc"])
        kind = item["type"]
        where = _dotted(path)
        if not path:
            yield Problem(document.position(()), str(item["msg"]))
        elif kind == "missing":
            parent = path[:-1]
            owner = f"{_dotted(parent)}: " if parent else ""
            yield Problem(document.position(parent), f"{owner}missing required field {path[-1]!r}")
        elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
            name = str(path[-1])
            model = _model_at(path[:-1])
            hint = ""
            if model is not None:
                fields = field_names(model)
                close = difflib.get_close_matches(name, fields, n=1)
                if close:
                    hint = f" (did you mean {close[0]!r}?)"
                else:
                    hint = f" (allowed: {', '.join(fields)})"
            yield Problem(document.key_position(path), f"{where}: unknown field {name!r}{hint}")
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
            if kind == "dataclass_type":  # worded as pydantic words it for its models
                kind_name = item["ctx"]["class_name"]
                message = f"Input should be a valid dictionary or instance of {kind_name}"
            if kind == "literal_error" and path == ("version",):
                message = "the catalog format version must be 1"
            elif kind in ("string_type",) and isinstance(item.get("input"), bool | int | float):
                message += ' (put the value in quotes, e.g. "No")'
            yield Problem(document.position(path), f"{where}: {message}")


def _url_facts(document: Document) -> dict[str, tuple[str | None, str | None]]:
    """Each resource URL's problem and normalised form (see ``url_facts``)."""
    resources = document.data.get("resources")
    if not isinstance(resources, list):
        return {}
    urls = (entry.get("url") for entry in resources if isinstance(entry, dict))
    return {url: url_facts(url) for url in urls if isinstance(url, str)}


def _cross_reference_problems(
    document: Document, facts: dict[str, tuple[str | None, str | None]]
) -> Iterator[Problem]:
    """Problems that span entries: duplicate ids and URLs, references to unknown ids.

    They are read from the raw document, so that they are reported together with the
    schema's own problems, even for entries that also break the schema. ``facts`` holds
    each URL's problem and normalised form (``_url_facts``).
    """
    data = document.data
    resources = data.get("resources")
    ids: dict[str, int] = {}
    urls: dict[str, int] = {}
    if isinstance(resources, list):
        for index, entry in enumerate(resources):
            if not isinstance(entry, dict):
                continue
            resource_id = entry.get("id")
            if isinstance(resource_id, str):
                if resource_id in ids:
                    first = document.position(("resources", ids[resource_id], "id"))
                    yield Problem(
                        document.position(("resources", index, "id")),
                        f"resources[{index}].id: duplicate id {resource_id!r} "
                        f"(also used at line {first.line})",
                    )
                else:
                    ids[resource_id] = index
            url = entry.get("url")
            key = facts[url][1] if isinstance(url, str) else None
            if key is not None:
                if key in urls:
                    first = document.position(("resources", urls[key], "url"))
                    yield Problem(
                        document.position(("resources", index, "url")),
                        f"resources[{index}].url: the same link as line {first.line} "
                        f"({key}); list each link once and reference it by id",
                    )
                else:
                    urls[key] = index
    yield from _reference_problems(document, set(ids))


def _reference_problems(document: Document, known: set[str]) -> Iterator[Problem]:
    strategies = document.data.get("strategies")
    if not isinstance(strategies, list):
        return
    seen_strategies: dict[str, int] = {}
    suggestions: Suggestions | None = None
    for s_index, strategy in enumerate(strategies):
        if not isinstance(strategy, dict):
            continue
        base: Path = ("strategies", s_index)
        strategy_id = strategy.get("id")
        if isinstance(strategy_id, str):
            if strategy_id in seen_strategies:
                yield Problem(
                    document.position((*base, "id")),
                    f"{_dotted(base)}.id: duplicate strategy id {strategy_id!r}",
                )
            seen_strategies.setdefault(strategy_id, s_index)
        references: list[tuple[Path, Any]] = []
        highlights = strategy.get("highlights")
        if isinstance(highlights, list):
            for h_index, highlight in enumerate(highlights):
                if isinstance(highlight, dict):
                    path = (*base, "highlights", h_index, "resource")
                    references.append((path, highlight.get("resource")))
        levels = strategy.get("resources")
        listed: dict[str, Path] = {}
        if isinstance(levels, dict):
            for level, entries in levels.items():
                if not isinstance(entries, list):
                    continue
                for r_index, resource_id in enumerate(entries):
                    path = (*base, "resources", level, r_index)
                    references.append((path, resource_id))
                    if isinstance(resource_id, str):
                        if resource_id in listed:
                            yield Problem(
                                document.position(path),
                                f"{_dotted(path)}: {resource_id!r} is listed twice in this "
                                "strategy",
                            )
                        listed.setdefault(resource_id, path)
        for path, resource_id in references:
            if isinstance(resource_id, str) and resource_id not in known:
                suggestions = suggestions or Suggestions(known)
                close = suggestions.closest(resource_id)
                hint = f" (did you mean {close!r}?)" if close else ""
                yield Problem(
                    document.position(path),
                    f"{_dotted(path)}: no resource has the id {resource_id!r}{hint}",
                )
