"""The catalog: its schema, and reading it from catalog.yaml with exact positions."""

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
