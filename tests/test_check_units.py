"""Pure decisions of the checker, without a network: classification, retries, decoding."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from catalogbot.check.classify import Evidence, classify
from catalogbot.check.decode import BoundedDecoder
from catalogbot.check.failures import TransportFailure
from catalogbot.check.fetch import Fetched
from catalogbot.check.result import FailureKind, Hop, Reason, Status, worst
from catalogbot.check.retry import backoff_delay, delay_before_retry, retry_after_seconds
from catalogbot.check.signals import bot_challenge, parked_domain
from catalogbot.check.soft404 import Probe, is_deep_link, judge, lands_on_home
from catalogbot.check.transport import Headers, RawResponse, parse_target
from catalogbot.drift.analyse import PageAnalysis

URL = "https://example.org/toolkit"


def fetched(status: int = 200, hops: tuple[Hop, ...] = (), **kwargs: object) -> Fetched:
    final = hops[-1].location if hops else URL
    response = RawResponse(status, Headers(()), b"<html></html>")
    return Fetched(URL, final, hops, response=response, **kwargs)  # type: ignore[arg-type]


def test_precedence_is_broken_drifted_redirected_unverifiable_ok() -> None:
    """The contract's order decides between verdicts."""
    assert worst(Status.OK, Status.UNVERIFIABLE) == Status.UNVERIFIABLE
    assert worst(Status.UNVERIFIABLE, Status.REDIRECTED) == Status.REDIRECTED
    assert worst(Status.REDIRECTED, Status.DRIFTED) == Status.DRIFTED
    assert worst(Status.DRIFTED, Status.BROKEN, Status.OK) == Status.BROKEN


def test_drifted_and_redirected_is_drifted() -> None:
    """A moved page whose content also changed reports the change, and still the move."""
    hop = Hop(URL, 301, "https://example.org/new")
    analysis = PageAnalysis("html", drift=Reason.CONTENT_CHANGED, drift_detail="changed")
    verdict = classify(Evidence(URL, fetched(hops=(hop,)), analysis=analysis))
    assert (verdict.status, verdict.reason) == (Status.DRIFTED, "content_changed")
    assert verdict.suggested_url == "https://example.org/new"


def test_parked_beats_everything() -> None:
    """A parked page is broken even if it also moved."""
    hop = Hop(URL, 301, "https://example.org/new")
    verdict = classify(Evidence(URL, fetched(hops=(hop,)), parked="for sale"))
    assert (verdict.status, verdict.reason) == (Status.BROKEN, "parked")


def test_network_failure_is_broken_with_its_kind() -> None:
    """A failure value becomes a broken verdict with the failure's own reason code."""
    failure = TransportFailure(FailureKind.DNS, "the name does not resolve", network_level=True)
    verdict = classify(Evidence(URL, Fetched(URL, URL, failure=failure, attempts=3)))
    assert (verdict.status, verdict.reason) == (Status.BROKEN, "dns")
    assert "after 3 attempts" in verdict.detail


def test_redirect_back_to_the_same_url_is_not_a_move() -> None:
    """A 301 that ends where it started (a cookie dance) suggests nothing."""
    hop = Hop(URL, 301, URL)
    verdict = classify(Evidence(URL, fetched(hops=(hop,))))
    assert verdict.status == Status.OK


def test_warnings_are_carried() -> None:
    """A title mismatch and unreadable content are warnings on an ok page."""
    analysis = PageAnalysis("pdf", title_mismatch=True, error="encrypted")
    verdict = classify(Evidence(URL, fetched(), analysis=analysis))
    assert verdict.status == Status.OK
    assert verdict.warnings == ("title_mismatch", "content_unreadable")


def test_retry_after_forms() -> None:
    """Retry-After is delta-seconds or an HTTP date; anything else is ignored."""
    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now) == 90.0
    past = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past, now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_backoff_grows_and_is_jittered() -> None:
    """Each retry waits about twice as long, between half and all of its step."""
    import random

    rng = random.Random(7)
    for attempt, step in [(1, 1.0), (2, 2.0), (3, 4.0)]:
        delay = backoff_delay(attempt, 1.0, rng)
        assert step / 2 <= delay <= step


def test_retry_after_over_the_cap_means_no_retry() -> None:
    """A wait longer than the cap is not made; a shorter one is honoured exactly."""
    assert delay_before_retry(1, 0.5, 3600, 60) is None
    assert delay_before_retry(1, 0.5, 7, 60) == 7
    assert delay_before_retry(10, 0.5, None, 60) == 60


def test_decoder_gzip_and_deflate() -> None:
    """gzip, zlib deflate and raw deflate all decode."""
    text = b"hello world " * 100
    for encoding, body in [
        ("gzip", gzip.compress(text)),
        ("deflate", zlib.compress(text)),
        ("deflate", zlib.compress(text)[2:-4]),  # raw deflate, as some servers send it
    ]:
        decoder = BoundedDecoder(encoding, 10_000)
        decoder.feed(body)
        assert decoder.body() == text


def test_decoder_stops_at_the_limit() -> None:
    """A bomb is cut at the limit and marked truncated."""
    bomb = gzip.compress(b"\0" * 10_000_000)
    decoder = BoundedDecoder("gzip", 1000)
    decoder.feed(bomb)
    assert len(decoder.body()) == 1000
    assert decoder.truncated


def test_unknown_encoding_is_kept_raw() -> None:
    """An encoding we did not ask for (br) is not decoded, and says so."""
    decoder = BoundedDecoder("br", 100)
    decoder.feed(b"\x1b\x00")
    assert decoder.unsupported == "br"


@pytest.mark.parametrize(
    ("url", "deep"),
    [
        ("https://a.org/", False),
        ("https://a.org", False),
        ("https://a.org/index.html", False),
        ("https://a.org/?page=2", True),
        ("https://a.org/toolkit", True),
    ],
)
def test_deep_links(url: str, deep: bool) -> None:
    """Home pages are not deep links; anything below them, or with a query, is."""
    assert is_deep_link(url) is deep


def test_landing_on_home_is_only_for_deep_links() -> None:
    """http→https of the home page is not a soft 404; a document sent home is."""
    assert not lands_on_home("http://a.org/", "https://a.org/")
    assert lands_on_home("https://a.org/report.pdf", "https://a.org/")
    assert lands_on_home("https://old.org/report.pdf", "https://new.org/")


def test_probe_of_an_honest_host_clears_the_page() -> None:
    """A host that gave a real 404 for the probe cannot be judged to serve soft 404s."""
    probe = Probe("https://a.org/x", 404, "https://a.org/x", False)
    assert (
        judge(
            URL,
            final_url=URL,
            redirected=False,
            probe=probe,
            probe_similarity=None,
            lead="",
            words=500,
        )
        is None
    )


def test_bot_challenge_detection() -> None:
    """Challenge titles count at any status; captcha markers only on refusals."""
    assert bot_challenge(503, {}, b"<html><title>Just a moment...</title>")
    assert bot_challenge(200, {"cf-mitigated": "challenge"}, b"")
    assert bot_challenge(403, {}, b"<div class=g-recaptcha></div>")
    assert bot_challenge(200, {}, b"<div class=g-recaptcha></div>") is None


def test_parked_detection_needs_a_small_page() -> None:
    """Parking phrases count on small pages; a long article that mentions them does not."""
    assert parked_domain(b"<p>This domain is for sale</p>")
    assert parked_domain(b"<p>This domain is for sale</p>" + b"x" * 300_000) is None


def test_request_target_encoding() -> None:
    """Unicode hosts become IDNA, unicode paths are percent-encoded, escapes are kept."""
    target = parse_target("https://bücher.example/straße?q=ä&x=%20")
    assert target is not None
    assert target.host == "xn--bcher-kva.example"
    assert target.path == b"/stra%C3%9Fe?q=%C3%A4&x=%20"
    assert target.port == 443
    assert parse_target("ftp://a.org/") is None
    assert parse_target("http://a.org:99999/") is None
