"""Replace resource URLs in catalog.yaml and keep every other byte as it was.

A fix pull request must show a reviewer exactly the lines it fixes: comments, order,
quoting and spacing elsewhere stay untouched. The edited text is parsed again, and the
edit is refused unless the only difference is the URLs it meant to change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace

from catalogbot.catalog.load import parse_catalog
from catalogbot.errors import CatalogbotError

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][^\s#'\"]*\Z")


class EditError(CatalogbotError):
    """The catalog could not be edited safely; nothing was changed."""


def _offset(text: str, line: int, column: int) -> int:
    """The index in ``text`` of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _render(url: str, original: str) -> str:
    """``url`` written in the original's quoting style, when that style can hold it."""
    if original.startswith("'") and "'" not in url:
        return f"'{url}'"
    if original.startswith('"') or not _PLAIN_SAFE.match(url) or ": " in url:
        return json.dumps(url, ensure_ascii=False)
    return url


def replace_urls(text: str, changes: Mapping[str, str], name: str = "catalog.yaml") -> str:
    """Return ``text`` with the url of each resource id in ``changes`` replaced.

    Raises EditError when an id is unknown, a URL is written in a form this cannot edit
    (a multi-line scalar), or the result would change anything else.
    """
    _, document, catalog = parse_catalog(text.encode("utf-8"), name)
    index = {resource.id: i for i, resource in enumerate(catalog.resources)}
    spans: list[tuple[int, int, str]] = []
    for resource_id, new_url in changes.items():
        if resource_id not in index:
            raise EditError(f"{name}: no resource has the id {resource_id!r}")
        path = ("resources", index[resource_id], "url")
        where, until = document.span(path)
        if until.line != where.line:
            raise EditError(f"{name}:{where.line}: the url of {resource_id!r} spans lines")
        start = _offset(text, where.line, where.column)
        end = _offset(text, until.line, until.column)
        original = text[start:end]
        spans.append((start, end, _render(new_url, original)))
    edited = text
    for start, end, replacement in sorted(spans, reverse=True):
        edited = edited[:start] + replacement + edited[end:]
    _verify(text, edited, changes, name)
    return edited


def _verify(before: str, after: str, changes: Mapping[str, str], name: str) -> None:
    _, _, old = parse_catalog(before.encode("utf-8"), name)
    try:
        _, _, new = parse_catalog(after.encode("utf-8"), name)
    except CatalogbotError as error:
        raise EditError(f"{name}: the edited catalog would not be valid ({error})") from None
    expected = replace(
        old,
        resources=[replace(r, url=changes[r.id]) if r.id in changes else r for r in old.resources],
    )
    if new != expected:
        raise EditError(f"{name}: editing the urls would change more than the urls; refused")
    changed_lines = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b
    ]
    if len(changed_lines) > len(changes) or before.count("\n") != after.count("\n"):
        raise EditError(f"{name}: the edit touched more lines than the urls; refused")
