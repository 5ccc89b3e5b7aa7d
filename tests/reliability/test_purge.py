"""Export and purge (R9): a signed review leaves this computer completely; the exports are checked first."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.report import publish
from app.report.archive import export_and_purge, subject_access_export
from app.report.verify import verify_pdf
from app.security.identities import IdentityStore
from app.services import actions, notes, retention, reviews
from app.services.demo import PANEL, seed_demo
from app.services.dto import ActionInput, Actor
from app.services.errors import ReviewDayError, ValidationError
from app.services.store import Store
from tests.conftest import REVIEW_DATE, confirm_as

CANARY = "ZQXPURGECANARY"
CHAIR = Actor("Morgan Ellis", "independent_chair")


def _raw_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())


def _signed_review(store: Store, tmp_path: Path, *, person: str = CANARY) -> int:
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    reviews.update_setup(store, review_id, CHAIR, person_label=person)
    notes.add_note(store, review_id, "safety", f"{CANARY} said the ward is loud", CHAIR)
    actions.add_action(store, review_id, ActionInput(what=f"Call {CANARY}'s mother", owner_name="Ben Carter",
                                                     why="His mother asked to be kept in touch.",
                                                     easy_read="Ben will call your mum.",
                                                     deadline=REVIEW_DATE), CHAIR)
    for name, role, _org, _attendance in PANEL[1:]:
        confirm_as(store, review_id, Actor(name, role))
    ids = IdentityStore(tmp_path / "ids", kdf_iterations=20_000)
    info = ids.list()[0] if ids.list() else ids.create("Morgan Ellis", "Independent chair", "purge passphrase")
    publish.sign_report(store, review_id, signer=ids.load_signer(info.name, "purge passphrase"),
                        signer_actor=CHAIR, fingerprint=info.fingerprint)
    return review_id


def test_export_and_purge_leaves_no_trace_in_the_database_files(tmp_path, db_path, clock):
    store = Store.open(db_path, clock=clock)
    review_id = _signed_review(store, tmp_path)
    uid = reviews.get_review(store, review_id).uid
    store.engine.dispose()
    assert CANARY.encode() in _raw_bytes(db_path)  # the control: it is there before

    out = tmp_path / "export"
    out.mkdir()
    result = export_and_purge(store, review_id, out, CHAIR)
    names = sorted(p.name for p in result.files)
    assert any(n.endswith("-signed-revision-1.pdf") for n in names) and any(n.endswith(".docx") for n in names)
    assert verify_pdf(next(p for p in result.files if "-signed-revision-1" in p.name)).ok
    assert reviews.list_reviews(store) == []
    log = retention.list_log(store)
    assert [e.action for e in log] == ["export", "purge"] and {e.review_uid for e in log} == {uid}
    assert CANARY not in repr(log)
    store.close()
    assert CANARY.encode() not in _raw_bytes(db_path)


def test_an_unsigned_review_is_refused_and_nothing_deleted(store, tmp_path):
    review_id = seed_demo(store, review_date=REVIEW_DATE)
    with pytest.raises(ValidationError, match="Only a signed review"):
        export_and_purge(store, review_id, tmp_path, CHAIR)
    assert reviews.get_review(store, review_id)
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_failed_export_deletes_nothing(store, tmp_path):
    review_id = _signed_review(store, tmp_path)
    with pytest.raises(ReviewDayError, match="no such folder"):
        export_and_purge(store, review_id, tmp_path / "missing", CHAIR)
    assert reviews.get_review(store, review_id).locked
    assert retention.list_log(store) == []


def test_subject_access_exports_every_review_of_that_person_only(store, tmp_path):
    mine = [seed_demo(store, review_date=REVIEW_DATE), seed_demo(store, review_date=REVIEW_DATE)]
    other = seed_demo(store, review_date=REVIEW_DATE)
    reviews.update_setup(store, other, CHAIR, person_label="B.C.")
    files = subject_access_export(store, " a.k. ", tmp_path / "sar")
    folders = {p.parent.name for p in files if p.name != "index.txt"}
    assert folders == {f"review-{REVIEW_DATE:%Y-%m-%d}-{i}" for i in mine}
    index = (tmp_path / "sar" / "index.txt").read_text()
    assert str(other) not in {line.split("-")[-1].split("/")[0] for line in index.splitlines() if "/" in line}
    with pytest.raises(ValidationError, match="No review"):
        subject_access_export(store, "Z.Z.", tmp_path / "none")


def test_purge_candidates_follow_the_retention_period(store, tmp_path, clock):
    review_id = _signed_review(store, tmp_path)
    assert retention.purge_candidates(store, 30, today=REVIEW_DATE) == []
    later = REVIEW_DATE.replace(year=REVIEW_DATE.year + 1)
    [candidate] = retention.purge_candidates(store, 30, today=later)
    assert candidate.review_id == review_id


def test_cli_purge_and_subject_access(store, tmp_path, db_path, capsys):
    from app.cli import main

    review_id = _signed_review(store, tmp_path, person="A.K.")
    assert main(["subject-access", "--db", str(db_path), "--person", "A.K.", "--out", str(tmp_path / "sar")]) == 0
    assert (tmp_path / "sar" / "index.txt").exists()
    assert main(["purge", str(review_id), "--db", str(db_path), "--export-to", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
    (tmp_path / "out").mkdir()
    assert main(["purge", str(review_id), "--db", str(db_path), "--export-to", str(tmp_path / "out")]) == 0
    assert reviews.list_reviews(store) == []
