"""The failures that stop a run, as opposed to a link's outcome, which is a value.

The command line turns each into one clear message and an exit code; nothing below
it prints.
"""

from __future__ import annotations


class CatalogbotError(Exception):
    """Base of every error catalogbot raises on purpose."""


class UsageError(CatalogbotError):
    """The command was asked for something it cannot do (a missing file, a bad option)."""
