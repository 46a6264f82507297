"""Fixtures shared by the test suite: loopback web servers (HTTP and HTTPS) and GitHub."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from fakegithub.fixture import fake_github  # noqa: F401 - the fixture, for every test
from support.webserver import RunningSite, Site, serve

TEST_HOSTS = ["localhost", *(f"127.0.0.{i}" for i in range(1, 40))]


@pytest.fixture(scope="session")
def tls_ca() -> trustme.CA:
    """A certificate authority that exists only for this test run."""
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(tls_ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test CA's certificate as a PEM file, for SSL_CERT_FILE."""
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    tls_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="session")
def server_tls(tls_ca: trustme.CA) -> ssl.SSLContext:
    """Server side TLS with a certificate the test CA signed for the loopback hosts."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert(*TEST_HOSTS).configure_cert(context)
    return context


@pytest.fixture(scope="session")
def self_signed_tls() -> ssl.SSLContext:
    """Server side TLS with a certificate nobody vouches for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert(*TEST_HOSTS).configure_cert(context)
    return context


@pytest.fixture
def trust_test_ca(ca_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make catalogbot trust the test CA (and only it)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return ca_file


Serve = Callable[..., list[RunningSite]]


@pytest.fixture
def sites() -> Iterator[Serve]:
    """Start sites on loopback addresses; every one is stopped after the test."""
    running: list[RunningSite] = []
    first = [2]

    def start(*to_serve: Site, tls: ssl.SSLContext | None = None) -> list[RunningSite]:
        started = serve(to_serve, tls=tls, first=first[0])
        first[0] += len(to_serve)
        running.extend(started)
        return started

    yield start
    for site in running:
        site.stop()
