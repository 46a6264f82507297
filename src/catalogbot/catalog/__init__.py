"""The catalog: its schema, and reading it from catalog.yaml with exact positions.

The names below are loaded on first use: importing one small part of the package (its
error type, say) must not import pydantic and the schema, which a page-analysing worker
process and ``--help`` never need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalogbot.catalog.load import CatalogFile, parse_catalog, read_catalog
    from catalogbot.catalog.model import (
        Catalog,
        CheckSettings,
        Confidence,
        Format,
        Level,
        Resource,
        Strategy,
    )
    from catalogbot.catalog.problems import Position, Problem
    from catalogbot.catalog.urls import normalise_url, origin_of

_HOMES = {
    "Catalog": "model",
    "CatalogFile": "load",
    "CheckSettings": "model",
    "Confidence": "model",
    "Format": "model",
    "Level": "model",
    "Position": "problems",
    "Problem": "problems",
    "Resource": "model",
    "Strategy": "model",
    "normalise_url": "urls",
    "origin_of": "urls",
    "parse_catalog": "load",
    "read_catalog": "load",
}

__all__ = [
    "Catalog",
    "CatalogFile",
    "CheckSettings",
    "Confidence",
    "Format",
    "Level",
    "Position",
    "Problem",
    "Resource",
    "Strategy",
    "normalise_url",
    "origin_of",
    "parse_catalog",
    "read_catalog",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"catalogbot.catalog.{home}"), name)
    globals()[name] = value
    return value
