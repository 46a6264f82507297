"""What every command's ``--help`` shows beyond its options: its exit codes."""

from __future__ import annotations

import argparse
import textwrap

EXIT_CODES = {
    "validate": (
        "0  the catalog is valid",
        "1  the catalog has problems (each printed as PATH:LINE:COL: message)",
        "2  usage error: a missing or unreadable file, a bad option",
    ),
    "check": (
        "0  nothing needs attention (unverifiable and skipped links need none)",
        "1  some link is broken, drifted or redirected",
        "2  usage or catalog error, or a report file could not be written (when nothing "
        "else needed attention)",
        "3  this machine is offline (results still written; nothing called broken)",
    ),
    "merge": (
        "0  nothing needs attention in the merged results",
        "1  some link is broken, drifted or redirected",
        "2  usage error: shards of different catalogs or runs, a shard repeated or missing, "
        "an unreadable results file, or a report file could not be written (when nothing "
        "else needed attention)",
        "3  some shard's machine was offline (results still written; nothing called broken)",
    ),
    "accept": (
        "0  every baseline recorded (entries the catalog skips are not failures)",
        "1  some pages were refused (broken, soft 404, parked, bot wall)",
        "2  usage or catalog error, or a snapshot could not be written",
        "3  this machine is offline (nothing recorded)",
    ),
    "sync": (
        "0  GitHub matches the results (or, with --dry-run, the plan was printed)",
        "1  some write to GitHub failed (each reported)",
        "2  usage or configuration error (token, repository, permissions), or GitHub "
        "could not be read for a --dry-run",
    ),
    "site": (
        "0  the history was updated (when --results is given) and the site built",
        "2  usage error: a bad catalog, results or history file (the history is left as it was)",
    ),
    "changed-ids": ("0  the ids were printed", "2  usage or catalog error"),
    "schema": ("0  the schema was printed", "2  usage error, or the named catalog is not valid"),
}


class HelpFormatter(argparse.HelpFormatter):
    """Wraps each line of a description or epilog on its own, keeping its indentation."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            inner = indent + " " * (len(line) - len(line.lstrip()))
            lines.append(
                textwrap.fill(
                    line.strip(), width, initial_indent=inner, subsequent_indent=inner + "   "
                )
                if line.strip()
                else ""
            )
        return "\n".join(lines)
