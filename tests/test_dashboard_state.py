"""The dashboard's hidden state: whatever the bot writes it reads back, and whatever a
person or another version leaves there is read without a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogbot.check.result import Reason, Status
from catalogbot.github.markers import DashboardState, Streak, parse_state

IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
TAGS = st.from_regex(r"[0-9a-f]{16}", fullmatch=True)
TIMES = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
)
REASONS = st.sampled_from(list(Reason)) | st.integers(100, 599).map(Reason.http)
STREAKS = st.builds(Streak, st.sampled_from(Status), REASONS, TIMES, st.integers(1, 10**6), TAGS)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(IDS, STREAKS, max_size=20), st.one_of(st.just(""), TIMES))
def test_what_the_bot_writes_it_reads_back(streaks: dict[str, Streak], last_run: str) -> None:
    """Every state the bot can write parses back equal, inside a body with other text."""
    state = DashboardState(streaks, last_run)
    body = f"# Dashboard\n\n{state.render()}\n\nmore text"
    assert parse_state(body) == state
    assert parse_state(body).warnings == []


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=6))
def test_whatever_is_stored_is_read_without_a_crash(streaks: dict[str, object]) -> None:
    """Hand edits and other versions' states: unreadable streaks are dropped, each with a
    warning, and whatever is kept is a well-typed streak."""
    text = json.dumps({"v": 1, "s": streaks}).replace(">", "\\u003e")
    state = parse_state(f"<!-- catalogbot:state {text} -->")
    assert len(state.streaks) + len(state.warnings) == len(streaks)
    for streak in state.streaks.values():
        assert isinstance(streak.status, Status)
        assert isinstance(streak.reason, Reason)


def test_too_many_streaks_keep_the_oldest_that_fit() -> None:
    """Past the size limit the newest streaks are forgotten first, and as few as need be:
    the state holds the longest run of oldest streaks that fits, and one more would not."""
    from catalogbot.github.markers import MAX_STATE_CHARS

    streaks = {
        f"entry-{n:05d}": Streak(
            Status.BROKEN, Reason.DNS, f"2026-11-{1 + n % 28:02d}T06:23:00Z", 1 + n % 5,
            f"{n:016x}",
        )
        for n in range(2_500)
    }  # fmt: skip
    state = DashboardState(streaks, last_run="2026-11-28T06:30:00Z")
    rendered = state.render()
    kept = parse_state(rendered).streaks
    assert 0 < len(kept) < len(streaks)
    assert len(rendered) <= MAX_STATE_CHARS + 100
    order = sorted(streaks, key=lambda key: (streaks[key].since, key))
    assert set(kept) == set(order[: len(kept)])
    one_more = DashboardState({key: streaks[key] for key in order[: len(kept) + 1]})
    one_more.last_run = state.last_run
    assert one_more.render() == rendered  # one more did not fit: it is the one dropped
