"""Pages that are byte for byte what was reviewed: known unchanged without parsing them.

Most pages of a catalog answer exactly as they did when their baseline was accepted.
Their snapshot records the answer's digest (``Snapshot.answer_digest``), so the fetching
process can see that from the snapshot's header alone and skip the page analysis: no
page sent to a worker, no parsing, no comparison. On a 10,000-page run with every
page unchanged that was most of the analysis workers' CPU time and a fifth of the
fetching process's (measured, ``benchmarks/bench.py``).
"""

from __future__ import annotations

from pathlib import Path

from catalogbot.drift.analyse import PageAnalysis, PageInput
from catalogbot.drift.snapshot import SnapshotError, answer_digest_of, read_snapshot_head


def unchanged_analysis(page: PageInput) -> PageAnalysis | None:
    """The analysis of ``page`` when its answer is the one its baseline recorded, as
    ``analyse`` would give it; None when the page must be analysed.

    Only a page compared with nothing but its baseline qualifies: one whose text is
    wanted, that came cut short, or that is compared with a soft-404 probe is analysed.
    The word count, which only that probe comparison reads, is left at 0.
    """
    if page.baseline_file is None or page.want_text or page.incomplete:
        return None
    if page.probe_text is not None:
        return None
    try:
        head = read_snapshot_head(Path(page.baseline_file), page.resource_id)
    except SnapshotError:
        return None  # the analysis says why it cannot be read
    if head is None or not head.answer_digest or head.size != len(page.body):
        return None
    if head.answer_digest != answer_digest_of(page.body, page.content_type, page.selector):
        return None
    return PageAnalysis(
        head.kind,
        title=head.title,
        digest=head.digest,
        similarity=1.0,
        page_digest=head.page_digest,
        baseline="found",
    )
