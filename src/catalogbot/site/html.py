"""Pieces every page shares: escaping, the page frame, status words, times, timelines.

Everything shown comes through ``esc`` or ``href``: titles, reasons and excerpts come
from the catalog and from strangers' pages.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from datetime import UTC

from catalogbot.check.result import REPORT_ORDER, Reason, Status
from catalogbot.report.presentation import reason_look
from catalogbot.site.codec import STATUS_OF_LETTER
from catalogbot.site.history import when

WORDS: dict[Status | None, str] = {
    Status.OK: "Up",
    Status.REDIRECTED: "Moved",
    Status.DRIFTED: "Changed",
    Status.BROKEN: "Broken",
    Status.UNVERIFIABLE: "Cannot verify",
    Status.SKIPPED: "Skipped",
    None: "Not checked yet",
}
MEANING: dict[Status | None, str] = {
    Status.OK: "reachable and as accepted",
    Status.REDIRECTED: "reachable only through a permanent redirect",
    Status.DRIFTED: "its text, title or format changed",
    Status.BROKEN: "not reachable, or not the resource any more",
    Status.UNVERIFIABLE: "the site refuses automated checks",
    Status.SKIPPED: "excluded from checks by the catalog",
    None: "no run has checked it",
}
ORDER: tuple[Status | None, ...] = (*REPORT_ORDER, None)
MARK_NAMES = {"-": "not checked", "x": "runner offline"} | {
    letter: WORDS[status].lower() for letter, status in STATUS_OF_LETTER.items()
}
_MARK_HEIGHT = {"o": 20, "r": 13, "d": 13, "u": 8, "s": 8, "b": 5, "-": 1, "x": 1}
_MARK_CLASS = {"o": "o", "r": "r", "d": "d", "u": "u", "s": "s", "b": "b", "-": "n", "x": "n"}

CSS = """
:root{color:#1b1b1b;background:#fff;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0 auto;max-width:72rem;padding:0 1rem 3rem}
a{color:#0645ad}a:visited{color:#5a3696}
a:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
h1{font-size:1.6rem;margin:1.2rem 0 .4rem}h2{font-size:1.3rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #c9c9c9;vertical-align:top}
thead th{background:#f0f0f0;font-size:.9rem}tbody th{font-weight:normal}
td.num{text-align:right;white-space:nowrap}
caption{text-align:left;font-weight:600;padding:.2rem 0;color:#3b3f44}
table.res{table-layout:fixed}table.res th:nth-child(1){width:27%}
table.res th:nth-child(2){width:14%}table.res th:nth-child(3){width:12%}
table.res th:nth-child(4),table.res th:nth-child(5),table.res th:nth-child(6){width:8%}
svg.tl{max-width:100%;height:auto}
.st{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-weight:600;white-space:nowrap}
.st-ok{color:#0f5132;background:#d1e7dd}.st-broken{color:#842029;background:#f8d7da}
.st-drifted{color:#5c4503;background:#fff3cd}.st-redirected{color:#084298;background:#cfe2ff}
.st-unverifiable,.st-skipped,.st-none{color:#3b3f44;background:#e9ecef}
.why{color:#4a4a4a;font-size:.85rem}
.sum{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.sum li{border:1px solid #c9c9c9;border-radius:.4rem;padding:.3rem .7rem}
svg.tl .o{fill:#157347}svg.tl .b{fill:#b02a37}svg.tl .d{fill:#8a6d00}svg.tl .r{fill:#0b5ed7}
svg.tl .u,svg.tl .s{fill:#5c636a}svg.tl .n{fill:#8f959b}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.6rem;
border:1px solid #c9c9c9}
nav.pages a,nav.pages span{margin-right:.6rem}
.url{overflow-wrap:anywhere}
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def esc(text: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return html.escape(str(text), quote=True)


def href(url: str | None) -> str | None:
    """``url`` escaped for an href when it is http(s), else None (shown as text only)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if any(c.isspace() or ord(c) < 32 for c in url):
        return None
    return esc(url)


def external(url: str | None, text: str | None = None) -> str:
    """A link to another site that sends no referrer, or plain text for other schemes."""
    target = href(url)
    shown = esc(text if text is not None else url or "")
    if target is None:
        return f'<span class="url">{shown}</span>'
    return f'<a class="url" href="{target}" rel="noopener noreferrer nofollow">{shown}</a>'


def page(title: str, body: str) -> str:
    """A whole page: language, character set, a strict policy, the shared style."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def reason_words(reason: str) -> str:
    """What a reason code means, in a few words (the code itself when this version does
    not know it: the history may hold codes of other versions)."""
    try:
        return reason_look(Reason(reason)).label
    except ValueError:
        return reason


def status_badge(status: Status | None, reason: str = "") -> str:
    """The status in words (with its colour as a second cue) and why, in words; the
    reason code in the tooltip."""
    name = status.value if status else "none"
    badge = f'<span class="st st-{name}">{esc(WORDS[status])}</span>'
    if reason and status not in (Status.OK, None):
        badge += f' <span class="why" title="{esc(reason)}">{esc(reason_words(reason))}</span>'
    return badge


def moment(at: str | None) -> str:
    """A run's time for people (UTC, to the minute) in a ``<time>`` element."""
    if not at:
        return "never"
    try:
        shown = when(at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return esc(at)
    return f'<time datetime="{esc(at)}">{shown}</time>'


def pct(value: float | None) -> str:
    """Uptime in percent, rounded down so that 99.96 never reads as 100%."""
    if value is None:
        return "no data"
    shown = math.floor(value * 10 + 1e-9) / 10
    return f"{shown:.0f}%" if shown == int(shown) else f"{shown:.1f}%"


def duration(ms: int | None) -> str:
    """A response time for people."""
    if ms is None:
        return "no data"
    return f"{ms} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def timeline(letters: str, ats: list[str], *, width: int = 5, titles: bool = False) -> str:
    """One mark per run, oldest first: its height and colour tell the verdict.

    The text alternative counts the verdicts, so the picture is never the only source.
    """
    if not letters:
        return '<span class="why">no runs yet</span>'
    step, height = width + 1, 20
    counts = Counter(letters)
    said = ", ".join(
        f"{counts[letter]} {name}" for letter, name in MARK_NAMES.items() if counts[letter]
    )
    label = f"Last {len(letters)} runs, oldest first: {said}"
    parts = [
        f'<svg class="tl" role="img" aria-label="{esc(label)}" width="{len(letters) * step}" '
        f'height="{height}" viewBox="0 0 {len(letters) * step} {height}">'
    ]
    if titles:
        for n, letter in enumerate(letters):
            h = _MARK_HEIGHT[letter]
            parts.append(
                f'<rect class="{_MARK_CLASS[letter]}" x="{n * step}" y="{height - h}" '
                f'width="{width}" height="{h}"><title>{esc(ats[n])}: '
                f"{MARK_NAMES[letter]}</title></rect>"
            )
    else:
        paths: dict[str, list[str]] = {}
        for n, letter in enumerate(letters):
            h = _MARK_HEIGHT[letter]
            paths.setdefault(_MARK_CLASS[letter], []).append(
                f"M{n * step} {height - h}h{width}v{h}h-{width}z"
            )
        parts.extend(f'<path class="{c}" d="{"".join(d)}"/>' for c, d in sorted(paths.items()))
    parts.append("</svg>")
    return "".join(parts)


LEGEND = (
    '<p class="why">Timelines: one mark per run, oldest on the left. Tall: up; middle: '
    "moved or changed; short: cannot verify or skipped; shortest: broken; a line: not "
    "checked or the runner was offline.</p>"
)
