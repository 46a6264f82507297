"""The bundled catalog carries the seed strategy page completely, as published."""

from __future__ import annotations

from pathlib import Path

from catalogbot.catalog import Level, read_catalog

ROOT = Path(__file__).resolve().parent.parent

# Title and level of each resource on the "Criminal Justice Diversion Programs" page.
PUBLISHED = {
    Level.INTRODUCTORY: [
        "Naloxone Saves",
        "Recovery Courts",
        "Quick Answers for Law Enforcement Personnel about Syringe Exchange Programs",
        "NC Harm Reduction Coalition Resources for Emergency Responders",
    ],
    Level.INTERMEDIATE: [
        "The Role of First Responders in the Opioid Epidemic",
        "Law Enforcement Assisted Diversion (LEAD) Evaluation in NC",
    ],
    Level.ADVANCED: [
        "Tailoring Crisis Response and Pre-Arrest Diversion Models for Rural Communities",
        "Crisis Intervention Team (CIT) Programs: A Best Practice Guide for Transforming "
        "Community Responses to Mental Health Crises",
        "Jail-based Overdose Prevention Education and Naloxone Distribution Toolkit",
    ],
}


def test_every_resource_at_its_level_in_page_order() -> None:
    """All nine resources, by level, in the order the page lists them."""
    catalog = read_catalog(ROOT / "catalog.yaml").catalog
    (strategy,) = catalog.strategies
    titles = {
        level: [catalog.resource(rid).title for rid in ids]
        for level, ids in strategy.resources.by_level().items()
    }
    assert titles == PUBLISHED


def test_strategy_text_and_highlights() -> None:
    """What the strategy is, why, and both highlights, pointing at the right resources."""
    catalog = read_catalog(ROOT / "catalog.yaml").catalog
    (strategy,) = catalog.strategies
    assert strategy.title == "Criminal Justice Diversion Programs"
    assert strategy.what is not None
    assert strategy.what.startswith("Support pre-arrest or post-arrest diversion programs")
    assert strategy.why is not None
    assert strategy.why.endswith("not typically met by carceral settings.")
    assert [
        (h.text.split()[0], catalog.resource(h.resource).title) for h in strategy.highlights
    ] == [
        ("Read", "Tailoring Crisis Response and Pre-Arrest Diversion Models for Rural Communities"),
        ("Watch", "Recovery Courts"),
    ]


def test_every_resource_is_fully_described() -> None:
    """Each resource has a description, format, tags and a stated URL confidence."""
    catalog = read_catalog(ROOT / "catalog.yaml").catalog
    for resource in catalog.resources:
        assert resource.description, resource.id
        assert resource.format is not None, resource.id
        assert resource.tags, resource.id
        assert resource.confidence is not None, resource.id
    low = [r for r in catalog.resources if r.confidence and r.confidence.value == "low"]
    assert all(r.note for r in low), "a low-confidence URL says what is open in its note"
