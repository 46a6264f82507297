"""What every renderer reads: a run's results with the catalog they came from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from catalogbot.catalog.load import CatalogFile
from catalogbot.check.result import REPORT_ORDER, CheckResult, Status
from catalogbot.check.run import CheckRun


@dataclass(frozen=True)
class ReportContext:
    """A finished run and the catalog file it checked."""

    catalog: CatalogFile
    run: CheckRun

    def title(self, resource_id: str) -> str:
        """The catalog's title for a resource."""
        return self.catalog.by_id[resource_id].title

    def position(self, resource_id: str) -> tuple[int, int]:
        """Line and column of the resource's url in catalog.yaml."""
        where = self.catalog.url_position(resource_id)
        return where.line, where.column

    @cached_property
    def counts(self) -> Counter[Status]:
        return Counter(r.status for r in self.run.results)

    def by_status(self, status: Status) -> list[CheckResult]:
        return [r for r in self.run.results if r.status == status]

    def summary_line(self) -> str:
        """E.g. '9 links: 6 ok, 1 broken, 1 redirected, 1 unverifiable'."""
        total = len(self.run.results)
        parts = [f"{self.counts[s]} {s.value}" for s in REPORT_ORDER if self.counts[s]]
        return f"{total} link{'s' if total != 1 else ''}: {', '.join(parts) or 'none'}"

    @property
    def needs_attention(self) -> bool:
        return any(r.status.needs_attention for r in self.run.results)
