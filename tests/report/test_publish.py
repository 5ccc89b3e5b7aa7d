"""Export and sign-off end to end: real files, real signatures, the stored revisions."""

from __future__ import annotations

import pytest

from app.cli import main
from app.report import publish
from app.report.verify import verify_pdf
from app.security.identities import IdentityStore
from app.services import notes, reviews, signoff
from app.services.demo import seed_demo
from app.services.dto import Actor
from app.services.errors import ReviewLockedError, ValidationError
from tests.conftest import REVIEW_DATE, confirm_as

CHAIR = Actor("Morgan Ellis", "independent_chair")
PANEL = [Actor("Dr Priya Nair", "clinical_expert"), Actor("Jamie Fox", "expert_by_experience"),
         Actor("Ruth Okafor", "mha_reviewer"), Actor("Ravi Patel", "commissioner"),
         Actor("Sam Taylor", "note_taker")]
PASS = "correct horse battery"


@pytest.fixture
def demo_id(store):
    return seed_demo(store, review_date=REVIEW_DATE)


@pytest.fixture
def identities(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWDAY_IDENTITY_DIR", str(tmp_path / "identities"))
    ids = IdentityStore(tmp_path / "identities", kdf_iterations=20_000)
    ids.create("Morgan Ellis", "Independent chair", PASS)
    ids.create("Dr Priya Nair", "Clinical expert", PASS)
    return ids


def _sign(store, review_id, ids, actor, out):
    info = ids.get(actor.name)
    return publish.sign_report(store, review_id, signer=ids.load_signer(info.name, PASS), signer_actor=actor,
                               fingerprint=info.fingerprint, out=out)


def test_sign_countersign_amend_and_sign_again(store, demo_id, identities, tmp_path):
    with pytest.raises(ValidationError, match="has not confirmed"):
        _sign(store, demo_id, identities, CHAIR, tmp_path / "r1.pdf")
    assert not (tmp_path / "r1.pdf").exists()
    for member in PANEL:
        confirm_as(store, demo_id, member)

    first = _sign(store, demo_id, identities, CHAIR, tmp_path / "r1.pdf")
    assert not first.countersigned and reviews.get_review(store, demo_id).locked
    result = verify_pdf(tmp_path / "r1.pdf")
    assert result.ok and [s.signer for s in result.signatures] == ["Morgan Ellis"]
    with pytest.raises(ReviewLockedError):
        notes.add_note(store, demo_id, "safety", "too late", CHAIR)

    # A locked review's PDF export is its stored signed copy, byte for byte.
    publish.export_report(store, demo_id, "pdf", tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == (tmp_path / "r1.pdf").read_bytes()

    counter = _sign(store, demo_id, identities, PANEL[0], tmp_path / "r1-countersigned.pdf")
    assert counter.countersigned
    both = verify_pdf(tmp_path / "r1-countersigned.pdf")
    assert both.ok and [s.signer for s in both.signatures] == ["Morgan Ellis", "Dr Priya Nair"]

    signoff.amend(store, demo_id, CHAIR, "The SLT deadline was wrong: the ward confirmed six weeks.")
    notes.add_note(store, demo_id, "safety", "Deadline corrected after the review.", CHAIR)
    for member in PANEL:
        confirm_as(store, demo_id, member)
    _sign(store, demo_id, identities, CHAIR, tmp_path / "r2.pdf")
    assert verify_pdf(tmp_path / "r2.pdf").ok
    # The earlier signed revision is kept and still verifies.
    (tmp_path / "r1-again.pdf").write_bytes(signoff.signed_pdf(store, demo_id, 1))
    assert verify_pdf(tmp_path / "r1-again.pdf").ok
    assert [r.number for r in signoff.list_revisions(store, demo_id)] == [1, 2]


def test_cli_export_every_format_and_sign(store, demo_id, identities, tmp_path, db_path, monkeypatch, capsys):
    for fmt in ("pdf", "easyread", "docx", "xlsx"):
        assert main(["export", str(demo_id), "--db", str(db_path), "--format", fmt, "--out", str(tmp_path / fmt)]) == 0
        assert (tmp_path / fmt).stat().st_size > 1000
    for member in PANEL:
        confirm_as(store, demo_id, member)
    monkeypatch.setenv("CHAIR_PASS", PASS)
    out = tmp_path / "signed.pdf"
    code = main(["export", str(demo_id), "--db", str(db_path), "--format", "pdf", "--out", str(out),
                 "--sign", "--identity", "Morgan Ellis", "--passphrase-env", "CHAIR_PASS"])
    assert code == 0, capsys.readouterr().err
    assert main(["verify", str(out)]) == 0


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--sign", "--identity", "Morgan Ellis"], "--format pdf only"),
        (["--identity", "Morgan Ellis"], "--identity goes with --sign"),
    ],
)
def test_cli_export_usage_errors(store, demo_id, db_path, tmp_path, extra, fragment, capsys):
    args = ["export", str(demo_id), "--db", str(db_path), "--format", "docx", "--out", str(tmp_path / "x"), *extra]
    assert main(args) == 2
    assert fragment in capsys.readouterr().err


def test_cli_sign_refuses_a_signer_not_on_the_panel(store, demo_id, identities, db_path, tmp_path, monkeypatch, capsys):
    identities.create("Someone Else", "Chair", PASS)
    monkeypatch.setenv("P", PASS)
    code = main(["export", str(demo_id), "--db", str(db_path), "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                 "--sign", "--identity", "Someone Else", "--passphrase-env", "P"])
    assert code == 2 and "not on the panel" in capsys.readouterr().err
    assert not (tmp_path / "s.pdf").exists() and not reviews.get_review(store, demo_id).locked


def test_cli_sign_with_wrong_passphrase_changes_nothing(store, demo_id, identities, db_path, tmp_path, monkeypatch, capsys):
    for member in PANEL:
        confirm_as(store, demo_id, member)
    monkeypatch.setenv("P", "not the passphrase")
    code = main(["export", str(demo_id), "--db", str(db_path), "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                 "--sign", "--identity", "Morgan Ellis", "--passphrase-env", "P"])
    err = capsys.readouterr().err
    assert code == 2 and "Wrong passphrase" in err and len(err.strip().splitlines()) == 1
    assert not reviews.get_review(store, demo_id).locked


def test_export_into_a_missing_folder_is_one_clear_error(store, demo_id, db_path, tmp_path, capsys):
    code = main(["export", str(demo_id), "--db", str(db_path), "--format", "pdf",
                 "--out", str(tmp_path / "nope" / "r.pdf")])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err and "Traceback" not in err


def test_audit_trail_exports_as_csv_with_field_names_only(store, demo_id, db_path, tmp_path):
    import csv

    from app.services import reviews as review_service

    review_service.update_setup(store, demo_id, CHAIR, ward="ZQX Secret Ward")
    out = tmp_path / "audit.csv"
    assert main(["export", str(demo_id), "--db", str(db_path), "--format", "audit", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert b"ZQX" not in raw  # the changed value itself is never in the trail
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["When (UTC)", "Who", "Role"]
    assert any(row[1] == "Morgan Ellis" and "ward" in row[4].lower() for row in rows[1:])
    assert len(rows) > 40  # every change of the demo day is there
