"""`reviewday contribution export` and `reviewday contribution merge`, with real files and databases."""

from __future__ import annotations

import json

import pytest

from app.bundle import dump_review, encode_bundle
from app.bundle.merge_store import list_merges
from app.cli import main
from app.models import Action
from app.services import actions, notes
from app.services.store import Store
from tests.bundle.merge_support import CHAIR, MEMBER, SECTION, hand_over, row_id, seeded_review
from tests.conftest import REVIEW_DATE


@pytest.fixture
def files(tmp_path, clock):
    chair_db, member_db = tmp_path / "chair.sqlite3", tmp_path / "member.sqlite3"
    chair, member = Store.open(chair_db, clock=clock), Store.open(member_db, clock=clock)
    h = hand_over(chair, member, seeded_review(chair, REVIEW_DATE))
    base = tmp_path / "review.json"
    base.write_bytes(encode_bundle(h.base))
    yield h, chair_db, member_db, base, tmp_path / "contribution.json"
    chair.close()
    member.close()


def _export(member_db, member_review_id, base, out, *extra) -> int:
    return main(["contribution", "export", str(member_review_id), "--db", str(member_db), "--base", str(base),
                 "--name", MEMBER.name, "--role", MEMBER.role, "--out", str(out), *extra])


def test_export_then_merge_adds_the_members_notes(files, capsys):
    h, chair_db, member_db, base, out = files
    notes.add_note(h.member, h.member_review_id, SECTION, "Member's note.", MEMBER)

    assert _export(member_db, h.member_review_id, base, out) == 0
    assert json.loads(out.read_text())["contributor"] == {"name": MEMBER.name, "role": MEMBER.role}
    assert main(["contribution", "merge", str(out), "--db", str(chair_db)]) == 0

    printed = capsys.readouterr().out
    assert "Added 1 note" in printed and "Member's note" not in printed
    assert [n.text for n in notes.list_notes(h.chair, h.review_id)][-1] == "Member's note."
    assert main(["contribution", "merge", str(out), "--db", str(chair_db)]) == 2
    assert "already been merged" in capsys.readouterr().err


def test_conflicts_without_take_exit_1_listing_them_without_personal_text(files, capsys):
    h, chair_db, member_db, base, out = files
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, owner_name="Dr Theirs")
    assert _export(member_db, h.member_review_id, base, out) == 0
    before = dump_review(h.chair, h.review_id)
    capsys.readouterr()

    assert main(["contribution", "merge", str(out), "--db", str(chair_db)]) == 1

    err = capsys.readouterr().err
    assert f"action {uid[:8]}: owner" in err
    assert "Dr Ours" not in err and "Dr Theirs" not in err and "Traceback" not in err
    assert dump_review(h.chair, h.review_id) == before
    assert list_merges(h.chair, h.review_id) == []

    assert main(["contribution", "merge", str(out), "--db", str(chair_db), "--take", "theirs"]) == 0
    assert actions.list_actions(h.chair, h.review_id)[0].owner_name == "Dr Theirs"


def test_take_ours_keeps_the_chairs_values(files):
    h, chair_db, member_db, base, out = files
    uid = h.base["actions"][0]["uid"]
    actions.update_action(h.chair, row_id(h.chair, Action, uid), CHAIR, owner_name="Dr Ours")
    actions.update_action(h.member, row_id(h.member, Action, uid), MEMBER, owner_name="Dr Theirs")
    assert _export(member_db, h.member_review_id, base, out) == 0
    assert main(["contribution", "merge", str(out), "--db", str(chair_db), "--take", "ours"]) == 0
    assert actions.list_actions(h.chair, h.review_id)[0].owner_name == "Dr Ours"


def test_bad_input_is_one_line_and_exit_2(files, tmp_path, capsys):
    h, chair_db, member_db, base, out = files
    cases = [
        (["contribution", "merge", str(tmp_path / "missing.json"), "--db", str(chair_db)], "no contribution file"),
        (["contribution", "merge", str(base), "--db", str(chair_db)], "not a panel member's contribution"),
        (["contribution", "merge", str(base), "--db", str(chair_db), "--take", "both"], "invalid choice"),
        (["contribution", "export", str(h.member_review_id), "--db", str(member_db), "--base",
          str(tmp_path / "nope.json"), "--name", "M", "--role", "clinical_expert", "--out", str(out)], "No such file"),
        (["contribution", "export", str(h.member_review_id), "--db", str(member_db), "--base", str(base),
          "--name", "M", "--role", "wizard", "--out", str(out)], "role"),
        (["contribution", "export", "999", "--db", str(member_db), "--base", str(base),
          "--name", "M", "--role", "clinical_expert", "--out", str(out)], "no review with id 999"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert not out.exists()


def test_a_contribution_for_a_review_not_in_the_database(files, tmp_path, capsys):
    h, chair_db, member_db, base, out = files
    assert _export(member_db, h.member_review_id, base, out) == 0
    other = tmp_path / "other.sqlite3"
    Store.open(other).close()
    assert main(["contribution", "merge", str(out), "--db", str(other)]) == 2
    assert "not in this database" in capsys.readouterr().err


def test_a_contribution_breaking_the_forms_rules_is_not_merged(files, capsys):
    """A member's copy edited outside the app (an unknown role, a name with a direction override)
    is refused as an import would be: one line, exit 2, nothing merged."""
    h, chair_db, member_db, base, out = files
    document = h.contribution()
    document["theirs"]["attendees"][1]["role"] = "wizard"
    out.write_text(json.dumps(document))
    before = encode_bundle(dump_review(h.chair, h.review_id))
    assert main(["contribution", "merge", str(out), "--db", str(chair_db), "--take", "theirs"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("reviewday: The contribution was not merged (attendees[1]): "
                   "Choose a role for the attendee from the list of roles.")
    document["theirs"]["attendees"][1].update(role="clinical_expert", name="Morgan \u202eExpert")
    out.write_text(json.dumps(document))
    assert main(["contribution", "merge", str(out), "--db", str(chair_db), "--take", "theirs"]) == 2
    assert "attendee's name holds an invisible control" in capsys.readouterr().err
    assert encode_bundle(dump_review(h.chair, h.review_id)) == before
