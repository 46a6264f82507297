"""Argument types that say what range a value must be in, and why a value is refused."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def number(
    low: float, high: float, *, unit: str = "", low_inclusive: bool = True
) -> Callable[[str], float]:
    """A finite number between ``low`` and ``high`` (``low`` excluded unless inclusive)."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if math.isnan(value):
            raise argparse.ArgumentTypeError(f"not a number: {text!r}")
        too_low = value < low if low_inclusive else value <= low
        if too_low:
            bound = f"{low:g}{suffix} or more" if low_inclusive else f"more than {low:g}{suffix}"
            raise argparse.ArgumentTypeError(f"must be {bound}: {text!r}")
        if value > high:
            raise argparse.ArgumentTypeError(f"must be {high:g}{suffix} or less: {text!r}")
        return value

    return parse


def count(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more: {text!r}")
        if value > high:
            raise argparse.ArgumentTypeError(f"must be {high} or less: {text!r}")
        return value

    return parse


def header_value(text: str) -> str:
    """Text that can go into an HTTP header as it is."""
    if not text.strip() or not text.isprintable() or not text.isascii() or len(text) > 1000:
        raise argparse.ArgumentTypeError(
            "must be printable ASCII text on one line, at most 1000 characters"
        )
    return text


def web_url(text: str) -> str:
    """An absolute http(s) URL with a host, as a canary must be."""
    from catalogbot.catalog.urls import url_problem

    problem = url_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a usable web address: {problem}")
    return text
