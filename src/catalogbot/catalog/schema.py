"""The catalog's JSON Schema, for editors and for anyone writing catalog.yaml by hand."""

from __future__ import annotations

import json

from catalogbot.catalog.model import catalog_schema


def schema_json() -> str:
    """The JSON Schema of catalog.yaml as stable, pretty-printed text."""
    schema = catalog_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
