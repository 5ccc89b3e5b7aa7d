"""The contribution file: what a panel member exports, and every way a file can be refused."""

from __future__ import annotations

import json

import pytest

from app.bundle import dump_review
from app.bundle.contribution import (
    CONTRIBUTION_FORMAT,
    CONTRIBUTION_VERSION,
    ContributionError,
    encode_contribution,
    load_contribution,
    make_contribution,
    write_contribution,
)
from app.services import notes
from app.services.dto import Actor
from app.services.errors import ReviewDayError, ValidationError
from app.services.store import Store
from tests.bundle.merge_support import MEMBER, SECTION, hand_over, seeded_review
from tests.conftest import REVIEW_DATE


@pytest.fixture
def handover(tmp_path, clock):
    chair = Store.open(tmp_path / "chair.sqlite3", clock=clock)
    member = Store.open(tmp_path / "member.sqlite3", clock=clock)
    yield hand_over(chair, member, seeded_review(chair, REVIEW_DATE))
    chair.close()
    member.close()


def test_a_contribution_file_round_trips_with_its_base_copy_and_contributor(handover, tmp_path):
    h = handover
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)
    document = h.contribution()
    path = write_contribution(tmp_path / "contribution.json", document)

    loaded = load_contribution(path.read_bytes())

    assert document["format"] == CONTRIBUTION_FORMAT and document["format_version"] == CONTRIBUTION_VERSION
    assert loaded.contributor == MEMBER
    assert loaded.base == h.base
    assert loaded.theirs == dump_review(h.member, h.member_review_id)
    assert loaded.review_uid == h.base["review"]["uid"] == document["review_uid"]
    assert loaded.uid == document["uid"] and loaded.uid != h.contribution()["uid"]  # each export is its own


def test_the_base_must_be_the_review_the_member_is_exporting(handover):
    h = handover
    other = dump_review(h.chair, seeded_review(h.chair, REVIEW_DATE))
    with pytest.raises(ContributionError, match="different review"):
        make_contribution(h.member, h.member_review_id, other, MEMBER)
    broken = dict(h.base, format_version=99)
    with pytest.raises(ContributionError, match="starting point"):
        make_contribution(h.member, h.member_review_id, broken, MEMBER)


@pytest.mark.parametrize("who, message", [
    (Actor("", "clinical_expert"), "name"),
    (Actor("x" * 201, "clinical_expert"), "under 200"),
    (Actor("Morgan", "wizard"), "role"),
])
def test_the_contributor_needs_a_name_and_a_known_role(handover, who, message):
    with pytest.raises(ValidationError, match=message):
        handover.contribution(who)


def _file(handover, **changes) -> bytes:
    document = handover.contribution()
    document.update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize("make, message", [
    (lambda h: b"", "empty"),
    (lambda h: b"\xff\xfe", "UTF-8"),
    (lambda h: b"{not json", "not valid JSON"),
    (lambda h: b"[1, 2]", "not a panel member's contribution"),
    (lambda h: encode_contribution(dump_review(h.chair, h.review_id)), "not a panel member's contribution"),
    (lambda h: _file(h, format_version=2), "newer ReviewDay"),
    (lambda h: _file(h, format_version="1"), "whole number"),
    (lambda h: _file(h, uid=""), "no id"),
    (lambda h: _file(h, contributor="Morgan"), "who made it"),
    (lambda h: _file(h, contributor={"name": "Morgan", "role": "nobody"}), "role"),
    (lambda h: _file(h, base=None), "starting copy"),
    (lambda h: _file(h, theirs={"format": "reviewday-bundle"}), "copy of the review in the contribution is not valid"),
    (lambda h: _file(h, review_uid="another"), "different reviews"),
    (lambda h: b"[" * 100000, "not valid JSON"),
])
def test_a_bad_contribution_file_gets_one_sentence(handover, make, message):
    with pytest.raises(ReviewDayError, match=message) as caught:
        load_contribution(make(handover))
    assert "\n" not in str(caught.value)
