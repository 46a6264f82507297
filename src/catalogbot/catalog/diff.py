"""What changed between two versions of a catalog, as far as checking links goes."""

from __future__ import annotations

from catalogbot.catalog.model import Catalog


def changed_ids(base: Catalog, head: Catalog) -> list[str]:
    """Ids of resources in ``head`` that are new, or whose URL or check settings differ
    from ``base``, in ``head``'s order (the entries a pull request asks to check)."""
    before = {r.id: (r.url, r.check) for r in base.resources}
    return [r.id for r in head.resources if before.get(r.id) != (r.url, r.check)]
