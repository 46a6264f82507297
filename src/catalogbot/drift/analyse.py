"""Everything checking needs to know about a page's content, computed in one pass.

This runs in a worker process (see pool.py): it takes plain data and returns plain
data, so a page that takes too long can be abandoned by killing its worker. Its only
I/O is reading the resource's baseline file, there in the worker rather than in the
process that fetches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from catalogbot.check.result import Reason
from catalogbot.check.signals import bot_challenge, parked_domain
from catalogbot.drift.extract import Extracted, extract
from catalogbot.drift.normalise import normalise, plain
from catalogbot.drift.similarity import DEFAULT_THRESHOLD, diff_excerpt, opening, similarity
from catalogbot.drift.snapshot import (
    Snapshot,
    SnapshotError,
    StoredSnapshot,
    answer_digest_of,
    digest_of,
    read_snapshot,
)

PARKED_MAX_WORDS = 1500
"""Parking pages say little; a page with more text than this is not one."""
TITLE_THRESHOLD = 0.5
"""Titles sharing less than this (as word sets) are unrelated."""

_STOPWORD_TEXT = """
    a an and are as at be by for from has in is it its of on or that the to was were will
    with about this these those how what why who when where your you our we can into
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class PageInput:
    """One fetched page and what to compare it with."""

    body: bytes
    content_type: str | None
    selector: str | None = None
    ignore: tuple[str, ...] = ()
    threshold: float | None = None
    baseline_file: str | None = None
    """Where the resource's snapshot would be; read here, in the worker, when given."""
    resource_id: str = ""
    probe_text: str | None = None
    """Normalised text of what the host serves for a path that cannot exist."""
    catalog_text: str = ""
    """The catalog's own title and description of the resource."""
    incomplete: bool = False
    """The connection broke before the body was complete: not compared, not recorded."""
    want_text: bool = False
    """Return the normalised text (to record a new baseline). A page that drifted from
    its baseline always returns it, for the snapshot that would accept the change."""


@dataclass(frozen=True)
class PageAnalysis:
    """What a page says and how it compares; small enough to send between processes."""

    kind: str
    title: str = ""
    digest: str = ""
    """Digest of the normalised text, when it was computed (empty otherwise)."""
    words: int = 0
    error: str | None = None
    similarity: float | None = None
    """To the baseline; None without one."""
    drift: Reason | None = None
    """content_changed, title_changed or format_changed; None when consistent."""
    drift_detail: str = ""
    excerpt: str | None = None
    probe_similarity: float | None = None
    lead: str = ""
    """The first words of the normalised text, when compared with a probe (to spot
    'not found' wording)."""
    title_mismatch: bool = False
    parked: str | None = None
    """Why the page looks like a parked or for-sale domain, if it does."""
    challenge: str | None = None
    """Why the page looks like a bot wall rather than the resource, if it does."""
    page_digest: str = ""
    """Digest of the title and text as read (see Snapshot.page_digest)."""
    baseline: str = "absent"
    """absent, found or unreadable: what became of the resource's snapshot."""
    text: str | None = field(default=None, repr=False)
    opening: str = ""
    """When the page drifted or its text is wanted (a baseline to record): its first
    sentences as written (not normalised), to show a person what it says now next to
    ``baseline_opening``. Untrusted page text."""
    baseline_opening: str = ""
    """When the page drifted: the baseline's opening as written when it recorded one,
    else the first words of its accepted (normalised) text."""
    baseline_title: str = ""
    """When the page drifted: the title the baseline recorded."""
    answer_digest: str = ""
    """When a snapshot of the page may be recorded (its text is returned) and nothing
    was found wrong with it: the digest of its answer (see Snapshot.answer_digest)."""


def _title_words(title: str) -> set[str]:
    return {w for w in normalise(title).split() if w not in STOPWORDS}


_TITLE_PARTS = re.compile(r"\s+(?:[|\-\u2013\u2014\u00b7\u2022:]|::)\s+")


def _title_parts(title: str) -> list[frozenset[str]]:
    """Content words of each part of a title such as 'Article - Section | Site'."""
    parts = [frozenset(_title_words(part)) for part in _TITLE_PARTS.split(title)]
    return [part for part in parts if part]


def title_similarity(a: str, b: str) -> float:
    """How much of the shorter title's content words the other title has, once a last
    part both titles share (the site's name, as in "Article | Site") is set aside.

    Containment rather than Jaccard: a site that changes the suffix of every title
    ("| NCDHHS" becoming "- North Carolina Department of Health...") has not changed
    what any page is about. The shared site name is set aside so that it never counts
    as agreement: a home page titled only "Site" does not agree with "Article | Site",
    nor "Budget | City News" with "Flood | City News".
    """
    parts_a, parts_b = _title_parts(a), _title_parts(b)
    if parts_a and parts_b and parts_a[-1] == parts_b[-1] and len(parts_a) + len(parts_b) > 2:
        words_a = set().union(*parts_a[:-1])
        words_b = set().union(*parts_b[:-1])
    else:
        words_a, words_b = _title_words(a), _title_words(b)
    if not words_a and not words_b:
        return 1.0
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


SIZE_CHANGE = 0.5
"""A document whose text cannot be read has changed when its size moves by more than this."""


def _compare(
    page: PageInput,
    baseline: Snapshot,
    kind: str,
    *,
    title: str,
    text: str,
    size: int,
    error: str | None,
) -> PageAnalysis:
    """How the page compares with its accepted baseline (``text`` normalised)."""
    if baseline.kind != kind:
        return PageAnalysis(
            kind,
            similarity=0.0,
            drift=Reason.FORMAT_CHANGED,
            drift_detail=f"the accepted baseline was {baseline.kind.upper()}; "
            f"the link now serves {kind.upper()}",
        )
    if error is not None and baseline.text:
        return PageAnalysis(
            kind,
            similarity=0.0,
            drift=Reason.CONTENT_CHANGED,
            drift_detail=f"the accepted text can no longer be read: {error}",
        )
    if not text and not baseline.text:
        change = abs(size - baseline.size) / max(baseline.size, 1)
        if change > SIZE_CHANGE:
            return PageAnalysis(
                kind,
                similarity=0.0,
                drift=Reason.CONTENT_CHANGED,
                drift_detail=f"the document was {baseline.size:,} bytes and is now {size:,}",
            )
        score = 1.0
    else:
        score = similarity(baseline.text, text)
    threshold = page.threshold or DEFAULT_THRESHOLD
    if score < threshold:
        return PageAnalysis(
            kind,
            similarity=score,
            drift=Reason.CONTENT_CHANGED,
            drift_detail=f"only {score:.0%} of the accepted text is still there "
            f"(below {threshold:.0%})",
            excerpt=diff_excerpt(baseline.text, text),
        )
    # Checked whatever the amount of text: on a page with little of it, the title is
    # the best evidence of what the page is.
    if baseline.title and title_similarity(baseline.title, title) < TITLE_THRESHOLD:
        return PageAnalysis(
            kind,
            similarity=score,
            drift=Reason.TITLE_CHANGED,
            drift_detail=f"the title was {baseline.title!r} and is now {title!r}",
        )
    return PageAnalysis(kind, similarity=score)


def _title_mismatch(catalog_text: str, page_text: str) -> bool:
    """Whether the page contains none of the content words of the catalog's title and
    description (a substring test: lenient, since this is only a warning)."""
    words = _title_words(catalog_text)
    return bool(words) and not any(word in page_text for word in words)


def _opening(extracted: Extracted) -> str:
    """The first sentences of the page's text as written, after its heading when the
    text starts with it: the title is shown beside the opening, and a heading run into
    the first sentence without a stop reads as one garbled sentence. What follows must
    not start in lower case: then the heading's words began a sentence of the text."""
    text, heading = extracted.text, extracted.heading
    rest = text[len(heading) + 1 :] if heading and text.startswith(f"{heading} ") else ""
    return opening(rest if rest and not rest[0].islower() else text)


def _load_baseline(page: PageInput) -> tuple[StoredSnapshot | None, str]:
    """The page's baseline and what became of it (absent, found, unreadable)."""
    if not page.baseline_file:
        return None, "absent"
    try:
        baseline = read_snapshot(Path(page.baseline_file), page.resource_id)
    except SnapshotError:
        return None, "unreadable"
    return baseline, "found" if baseline is not None else "absent"


def analyse(page: PageInput) -> PageAnalysis:
    """Extract, fingerprint and compare one page. Never raises for bad input.

    Normalising the text is the costly part, so it happens only when the page is
    compared with something or its text is wanted. A page whose title and text are
    exactly those of its baseline (equal page digests) is not normalised at all.
    """
    extracted = extract(page.body, page.content_type, page.selector)
    title = extracted.title or extracted.heading
    visible = extracted.text.lower()  # already one space between words
    page_digest = digest_of(f"{title}\n{visible}")
    stored, baseline_state = _load_baseline(page)
    if page.incomplete:
        stored = None  # half a page would look changed; judge it when it arrives whole
    unchanged = (
        stored is not None
        and stored.head.page_digest == page_digest
        and stored.head.kind == extracted.kind
        and extracted.error is None
    )
    # An unchanged page needs only the baseline's header, not its text.
    baseline = None if stored is None else stored.head if unchanged else stored.snapshot()
    needs_text = (
        page.want_text or page.probe_text is not None or (baseline is not None and not unchanged)
    )
    text = normalise(extracted.text, page.ignore) if needs_text else ""
    compared = PageAnalysis(extracted.kind)
    digest = digest_of(text) if needs_text else ""
    if baseline is not None and unchanged:
        compared = PageAnalysis(extracted.kind, similarity=1.0)
        digest = baseline.digest
    elif baseline is not None:
        compared = _compare(
            page,
            baseline,
            extracted.kind,
            title=title,
            text=text,
            size=extracted.size,
            error=extracted.error,
        )
    probe_score = None
    lead = ""
    if page.probe_text is not None and extracted.kind in ("html", "text"):
        probe_score = similarity(page.probe_text, text)
        lead = f"{normalise(title)} {text[:500]}"
    words = visible.count(" ") + 1 if visible else 0
    mismatch = (
        baseline is None
        and not page.incomplete
        and extracted.kind == "html"
        and extracted.error is None
        and _title_mismatch(page.catalog_text, f"{plain(title)} {visible}")
    )
    keep_text = page.want_text or compared.drift is not None
    parked = (
        parked_domain(page.body) if extracted.kind == "html" and words < PARKED_MAX_WORDS else None
    )
    challenge = bot_challenge(200, {}, page.body) if extracted.kind == "html" else None
    clean = extracted.error is None and parked is None and challenge is None
    return PageAnalysis(
        kind=extracted.kind,
        title=title,
        digest=digest,
        words=words,
        error=extracted.error,
        similarity=compared.similarity,
        drift=compared.drift,
        drift_detail=compared.drift_detail,
        excerpt=compared.excerpt,
        probe_similarity=probe_score,
        lead=lead,
        title_mismatch=mismatch,
        parked=parked,
        challenge=challenge,
        page_digest=page_digest,
        baseline=baseline_state,
        text=text if keep_text else None,
        opening=_opening(extracted) if keep_text else "",
        baseline_opening=(
            (baseline.opening or opening(baseline.text)) if compared.drift and baseline else ""
        ),
        baseline_title=baseline.title if compared.drift and baseline else "",
        answer_digest=(
            answer_digest_of(page.body, page.content_type, page.selector)
            if keep_text and clean and not page.incomplete
            else ""
        ),
    )
