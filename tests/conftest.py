"""Shared test set-up: offscreen Qt, a fresh SQLite file per test, a fixed clock."""

from __future__ import annotations

import os

# Must be set before any Qt import: with no display, Qt would abort the whole process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

# Tests never read or write the real user's settings, data, logs or caches.
import tempfile  # noqa: E402

_SANDBOX = tempfile.mkdtemp(prefix="reviewday-tests-home-")
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = os.path.join(_SANDBOX, _var.lower())
os.environ.setdefault("REVIEWDAY_IDENTITY_DIR", os.path.join(_SANDBOX, "identities"))

from datetime import date, datetime, timedelta  # noqa: E402

import pytest  # noqa: E402

from app.services.dto import Actor, ReviewSetup  # noqa: E402
from app.services.store import Store  # noqa: E402

# The PostgreSQL variant of the store tests (REVIEWDAY_TEST_POSTGRES_URL); see tests/postgres_support.py.
pytest_plugins = ["tests.postgres_support"]

REVIEW_DATE = date(2026, 11, 20)


class FakeClock:
    """A clock tests move by hand; starts on the review day at 09:30."""

    def __init__(self, start: datetime = datetime(2026, 11, 20, 9, 30)) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path, db_backend, request):
    """A new SQLite file's path, or (in a test's [postgresql] variant) a fresh server database's URL."""
    if db_backend == "postgresql":
        return request.getfixturevalue("postgres_test_url")
    return tmp_path / "reviewday.sqlite3"


@pytest.fixture
def store(db_path, clock):
    opened = Store.open(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def actor() -> Actor:
    return Actor(name="Sam Taylor", role="note_taker")


@pytest.fixture
def setup_icetr() -> ReviewSetup:
    return ReviewSetup(
        template_id="icetr",
        person_label="J.B.",
        review_date=REVIEW_DATE,
        hospital="Riverside Hospital",
        ward="Willow Ward",
        secure=True,
        legal_status="Section 3 MHA",
        admission_date=date(2024, 3, 1),
        long_term_segregation=True,
    )


@pytest.fixture
def review(store, actor, setup_icetr):
    from app.services import reviews

    return reviews.create_review(store, setup_icetr, actor)


@pytest.fixture
def consented_review(store, actor, review):
    from app.models.enums import ConsentBasis
    from app.services import people

    return people.record_consent(store, review.id, actor, ConsentBasis.CONSENT)


def confirm_as(store, review_id: int, actor: Actor):
    """A panel member's confirmation at the service level, with the name and fingerprint their
    signing identity would give (tests of the proof itself unlock real identities)."""
    import hashlib

    from app.services import signoff

    fingerprint = hashlib.sha256(actor.name.encode()).hexdigest()
    return signoff.confirm(store, review_id, actor, identity_name=actor.name, fingerprint=fingerprint)
