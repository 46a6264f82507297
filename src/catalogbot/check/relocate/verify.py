"""Whether a fetched candidate is the lost resource: its text must match the reviewed
baseline as well as an unchanged page would, and its title must agree.

The comparison is the drift comparison itself (drift.analyse), so a candidate passes
exactly when the resource, found at that address, would be reported unchanged. A page
with the same title and other text (a new edition) fails on its text.
"""

from __future__ import annotations

from catalogbot.catalog.model import Resource
from catalogbot.check.evidence import page_input
from catalogbot.check.fetch import Fetched
from catalogbot.drift.pool import Analyser
from catalogbot.drift.similarity import DEFAULT_THRESHOLD
from catalogbot.drift.snapshot import SnapshotStore


class Verifier:
    """Compares candidates with the baselines of one catalog's resources."""

    def __init__(self, analyser: Analyser, snapshots: SnapshotStore) -> None:
        self._analyser = analyser
        self._snapshots = snapshots

    async def similarity(self, resource: Resource, fetched: Fetched) -> float | None:
        """The candidate's similarity to the baseline when it is the resource, else None."""
        response = fetched.response
        if response is None or not 200 <= response.status < 300 or response.cut_short:
            return None
        analysis = await self._analyser.analyse(
            page_input(resource, response, str(self._snapshots.path_for(resource.id)))
        )
        threshold = resource.check.threshold or DEFAULT_THRESHOLD
        if (
            analysis.baseline != "found"
            or analysis.error is not None
            or analysis.challenge is not None
            or analysis.drift is not None
            or analysis.similarity is None
            or analysis.similarity < threshold
        ):
            return None
        return analysis.similarity
