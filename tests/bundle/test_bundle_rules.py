"""Import applies the app's own rules: a bundle holding what the forms refuse is refused by
`reviewday import` with exit 2 and one line that names the problem without quoting personal
text, and the database is byte-for-byte as it was. The forms refuse the same things."""

from __future__ import annotations

import base64
import copy
import hashlib
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundle import BundleError, dump_review, encode_bundle, import_review
from app.cli import main
from app.models.enums import ConsentBasis
from app.services import actions, people, reviews
from app.services.dto import ActionInput, ReviewSetup
from app.services.errors import ValidationError
from app.services.store import Store
from tests.bundle.bundle_support import CHAIR, REVIEW_DATE, database_fingerprint, full_review, review_count
from tests.report.test_signing import make_source_pdf

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "J.B.\u202egpj.exe" shows as "J.B.exe.jpg"
SECRET = "Quentin Zephyr"  # personal text that a refusal must never repeat


@pytest.fixture(scope="module")
def good_document(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules-source")
    store = Store.open(folder / "source.sqlite3")
    try:
        return dump_review(store, full_review(store))
    finally:
        store.close()


@pytest.fixture
def target(tmp_path):
    db = tmp_path / "target.sqlite3"
    Store.open(db).close()
    return db


def _unsigned_pdf() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return make_source_pdf(Path(folder) / "unsigned.pdf").read_bytes()


def _tampered_pdf(pdf: bytes) -> bytes:
    """The signed report with signed bytes changed in place (same length), the signature left as it was."""
    changed = pdf.replace(b"ReportLab Generated", b"ReportLab Generatex", 1)
    assert changed != pdf and len(changed) == len(pdf)
    return changed


def _signed(document: dict) -> bytes:
    return base64.b64decode(document["revisions"][0]["signed_pdf"])


def _with_pdf(document: dict, pdf: bytes) -> None:
    revision = document["revisions"][0]
    revision["signed_pdf"] = base64.b64encode(pdf).decode("ascii")
    revision["signed_pdf_sha256"] = hashlib.sha256(pdf).hexdigest()  # recomputed, so the hash check passes


def _cases() -> list[tuple[str, object, str]]:
    """(name, change to the document, words the message must contain)."""

    def setup(field, value):
        def change(d):
            d["review"][field] = value
        return change

    def attendee(field, value):
        def change(d):
            d["attendees"][1][field] = value
        return change

    def section_the_template_lacks(d):
        d["section_states"].append(dict(d["section_states"][0], section_id="not_in_template", position=99))
        d["notes"][0]["section_id"] = "not_in_template"

    def renamed_section(d):
        d["section_states"][0]["section_id"] = "renamed"
        for part in ("notes", "entries", "actions"):
            for row in d[part]:
                if row["section_id"] == d["section_states"][0]["section_id"]:
                    row["section_id"] = "renamed"

    def missing_section(d):
        dropped = d["section_states"].pop()["section_id"]
        assert not any(row["section_id"] == dropped for part in ("notes", "entries", "actions") for row in d[part])

    def unknown_question(d):
        d["headlines"][0]["question_id"] = "is_it_tuesday"

    def flagged_finding(d):
        entry = next(e for e in d["entries"] if e["kind"] == "good_practice")
        entry.update(safeguarding=True, safeguarding_lead=SECRET)

    def carried_not_done_without_reason(d):
        d["carried_actions"][0].update(outcome="not_done", reason="")

    def sign_as_note_taker(d):
        d["revisions"][0]["signoffs"][0]["role"] = "note_taker"

    def other_signer(d):
        d["revisions"][0]["signoffs"][0]["certificate_fingerprint"] = "cd" * 32

    def short_amendment(d):
        d["revisions"][1]["reason"] = "typo"

    def best_interests_without_detail(d):
        d["consent"].update(basis="best_interests", detail="")

    return [
        ("NUL in the person's label", setup("person_label", f"{SECRET}\x00"), "control"),
        ("override in the person's label", setup("person_label", f"{SECRET}{RLO}gpj.exe"), "text-direction"),
        ("isolate in the ward", setup("ward", f"\u2067{SECRET}\u2069"), "text-direction"),
        ("line break in the hospital", setup("hospital", f"{SECRET}\nWard"), "control"),
        ("override in an attendee's name", attendee("name", f"{RLO}{SECRET}"), "attendee's name"),
        ("escape in an attendee's name", attendee("name", f"{SECRET}\x1b[2J"), "control"),
        ("NUL in a note", lambda d: d["notes"][0].update(text=f"{SECRET}\x00"), "control"),
        ("override in a note", lambda d: d["notes"][0].update(text=f"{SECRET}{RLO}"), "override"),
        ("bell in an action's owner", lambda d: d["actions"][0].update(owner_name=f"{SECRET}\x07"), "owner's name"),
        ("admission in year 1", setup("admission_date", "0001-01-01"), "admission date must be between 1900"),
        ("birth in year 1", setup("date_of_birth", "0001-01-01"), "date of birth must be between 1900"),
        ("review in 9999", setup("review_date", "9999-12-31"), "review date must be between"),
        ("deadline in 9999", lambda d: d["actions"][0].update(deadline="9999-12-31"), "deadline must be between"),
        ("carried deadline in 9999", lambda d: d["carried_actions"][0].update(deadline="9999-12-31"), "deadline"),
        ("admission after the review", setup("admission_date", "2027-01-01"), "admission date is after the review"),
        ("birth after the review", setup("date_of_birth", "2026-12-01"), "date of birth is after the review"),
        ("admission before birth", setup("admission_date", "1980-01-01"), "admission date is before the date of birth"),
        ("declined too often", setup("declined_before", 500), "declined before"),
        ("segregation after the review", setup("segregation_started", "2027-01-01"), "segregation start date is after"),
        ("override in the unit", setup("unit", f"{RLO}{SECRET}"), "text-direction"),
        ("empty label", setup("person_label", "   "), "initials or a pseudonym"),
        ("note in a section the template lacks", section_the_template_lacks, "not one of template 'icetr'"),
        ("renamed section", renamed_section, "not one of template 'icetr'"),
        ("a section missing", missing_section, "does not have every section"),
        ("unknown headline question", unknown_question, "question is not one of template"),
        ("unknown role", attendee("role", "wizard"), "Choose a role"),
        ("empty attendee name", attendee("name", "  "), "attendee's name"),
        ("empty note", lambda d: d["notes"][0].update(text="   "), "A note needs some text"),
        ("empty action", lambda d: d["actions"][0].update(what=" "), "Say what will be done"),
        ("safeguarding on good practice", flagged_finding, "Only a concern"),
        ("not done without a reason", carried_not_done_without_reason, "Say why the action was not done"),
        ("planned for a week", lambda d: d["section_states"][0].update(planned_minutes=10_000), "Planned time"),
        ("best interests without detail", best_interests_without_detail, "best-interests decision"),
        ("signed by a note-taker", sign_as_note_taker, "Only the chair signs"),
        ("amendment without a reason", short_amendment, "reason for the amendment"),
        ("signed report changed, hash recomputed", lambda d: _with_pdf(d, _tampered_pdf(_signed(d))), "does not verify"),
        ("unsigned report, hash recomputed", lambda d: _with_pdf(d, _unsigned_pdf()), "does not verify (not signed)"),
        ("not a report, hash recomputed", lambda d: _with_pdf(d, b"%PDF-1.7 " + SECRET.encode()), "does not verify"),
        ("sign-off of another certificate", other_signer, "does not carry a signature"),
    ]


CASES = _cases()


@pytest.mark.parametrize("name, change, words", CASES, ids=[name for name, _, _ in CASES])
def test_every_rule_the_forms_apply_refuses_an_import(good_document, target, tmp_path, capsys, name, change, words):
    before = database_fingerprint(target)
    path = tmp_path / "hostile.json"
    document = copy.deepcopy(good_document)
    change(document)
    path.write_bytes(encode_bundle(document))
    code = main(["import", str(path), "--db", str(target)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "", (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reviewday: The bundle was not imported ("), err
    assert words in lines[0], lines[0]
    assert SECRET not in lines[0] and "Zephyr" not in lines[0], lines[0]
    assert "Traceback" not in err
    assert database_fingerprint(target) == before


def test_the_unchanged_bundle_imports(good_document, target, tmp_path, capsys):
    """Every refusal above is the change's doing."""
    path = tmp_path / "good.json"
    path.write_bytes(encode_bundle(good_document))
    assert main(["import", str(path), "--db", str(target)]) == 0


def test_a_stored_signed_report_is_checked_by_the_verifier_not_only_its_hash(good_document, tmp_path):
    """The tester's case: bytes changed inside the signed PDF and the hash recomputed to match."""
    document = copy.deepcopy(good_document)
    _with_pdf(document, _tampered_pdf(base64.b64decode(document["revisions"][0]["signed_pdf"])))
    store = Store.open(tmp_path / "r.sqlite3")
    try:
        with pytest.raises(BundleError, match=r"revisions\[0\]\.signed_pdf.*does not verify"):
            import_review(store, document, CHAIR)
        assert review_count(store) == 0
    finally:
        store.close()


# -- the forms refuse the same things -----------------------------------------------------------


@pytest.mark.parametrize("label", [f"J.B.{RLO}", "J.B.\x00", "J.\u2066B.", "J.\nB.", "J.B.\u200f"])
def test_the_set_up_form_refuses_control_and_direction_characters_in_the_name(store, label):
    with pytest.raises(ValidationError, match="control or text-direction"):
        reviews.create_review(store, ReviewSetup(template_id="icetr", person_label=label, review_date=REVIEW_DATE),
                              CHAIR)
    assert review_count(store) == 0


def test_the_forms_refuse_bidi_names_and_far_dates(store):
    review = reviews.create_review(store, ReviewSetup(template_id="icetr", person_label="J.B.",
                                                      review_date=REVIEW_DATE), CHAIR)
    with pytest.raises(ValidationError, match="attendee's name holds an invisible"):
        people.add_attendee(store, review.id, CHAIR, name=f"Alex {RLO}Chair", role="chair")
    with pytest.raises(ValidationError, match="admission date must be between 1900 and 2100"):
        reviews.update_setup(store, review.id, CHAIR, admission_date=date(1, 1, 1))
    with pytest.raises(ValidationError, match="deadline must be between 1900 and 2100"):
        actions.add_action(store, review.id, ActionInput(what="Plan", deadline=date(9999, 12, 31)), CHAIR)
    with pytest.raises(ValidationError, match="review date must be between"):
        reviews.create_review(store, ReviewSetup(template_id="icetr", person_label="K.L.",
                                                 review_date=date(9999, 1, 1)), CHAIR)
    people.record_consent(store, review.id, CHAIR, ConsentBasis.CONSENT)
    from app.services import notes
    from app.services.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no section"):
        notes.add_note(store, review.id, "not_in_template", "A note", CHAIR)
    with pytest.raises(ValidationError, match="override"):
        notes.add_note(store, review.id, "safety", f"Said {RLO}this", CHAIR)
    # Line breaks, tabs and the marks right-to-left writing uses stay welcome in free text.
    notes.add_note(store, review.id, "safety", "First line\n\tsecond \u200fline", CHAIR)
    people.add_attendee(store, review.id, CHAIR, name="Zoë O'Brien-Ng", role="advocate")


# -- hypothesis: hostile characters anywhere in the text ------------------------------------------

_TEXT_FIELDS = [("review", None, "person_label"), ("review", None, "hospital"), ("review", None, "ward"),
                ("attendees", 0, "name"), ("attendees", 1, "organisation"), ("notes", 0, "text"),
                ("notes", 0, "speaker_name"), ("entries", 0, "text"), ("actions", 0, "owner_name"),
                ("actions", 0, "what"), ("carried_actions", 0, "reason"), ("consent", None, "detail")]
_HOSTILE = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t", RLO, "\u202d", "\u2066", "\u200e"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(_TEXT_FIELDS), bad=_HOSTILE, at=st.integers(0, 5))
def test_hostile_characters_anywhere_are_refused_or_kept_as_the_forms_would(good_document, where, bad, at):
    part, index, field = where
    document = copy.deepcopy(good_document)
    row = document[part] if index is None else document[part][index]
    text = row[field] or "x"
    row[field] = text[:at] + bad + text[at:]
    store = Store.open(":memory:")
    try:
        try:
            new_id = import_review(store, document, CHAIR)
        except BundleError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("The bundle was not imported (")
            assert review_count(store) == 0
            return
        # Accepted: only free text, and only the characters free text may hold.
        assert field in ("text", "what", "reason", "detail") and bad in ("\n", "\t", "\u200e")
        assert dump_review(store, new_id)[part if index is None else part] is not None
    finally:
        store.close()
