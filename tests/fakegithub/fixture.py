"""The ``fake_github`` pytest fixture: a fake GitHub serving ``octo/catalog`` on loopback.

Make it available to every test by importing it in ``tests/conftest.py``::

    from fakegithub.fixture import fake_github  # noqa: F401

The repository's default branch starts with ``DEFAULT_FILES``. A test (or a module, or
a conftest) that needs other files defines a ``fake_github_files`` fixture, or
parametrizes one::

    @pytest.mark.parametrize("fake_github_files", [{"catalog.yaml": "..."}])
    def test_sync(fake_github, fake_github_files): ...

At teardown the fixture fails the test if any request was one GitHub's description
refuses, even when the client shrugged it off; a test that provokes rejections on
purpose calls ``fake_github.expect_rejections()``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from .fake import DEFAULT_FILES, FakeGitHub
from .server import serve


def _seed_files(request: pytest.FixtureRequest) -> Mapping[str, str | bytes]:
    """The ``fake_github_files`` fixture's value if one is defined, else the defaults."""
    try:
        files: Mapping[str, str | bytes] = request.getfixturevalue("fake_github_files")
    except pytest.FixtureLookupError:
        return DEFAULT_FILES
    return files


def check_rejections(fake: FakeGitHub) -> None:
    """Fail the test if the fake rejected a request the test did not expect it to."""
    if fake.rejections and not fake.rejections_expected:
        listing = "\n".join(f"  {r}" for r in fake.rejections)
        pytest.fail(f"requests GitHub would refuse (client bugs):\n{listing}", pytrace=False)


@pytest.fixture
def fake_github(request: pytest.FixtureRequest) -> Iterator[FakeGitHub]:
    """A running fake GitHub; ``.url``, ``.token`` and ``.repo`` configure the client."""
    with serve(FakeGitHub(files=_seed_files(request))) as fake:
        yield fake
    check_rejections(fake)
