"""`reviewday oversight`: one row per review as CSV or XLSX, no free text, one-line errors."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.cli import main
from app.models import AccuracyCorrection, Action, Note, Review, SectionEntry
from app.models.enums import ActionStatus
from app.report.oversight_sheet import HEADINGS
from app.security.data_key import open_database

PASSPHRASE = "oversight cli test passphrase"


@pytest.fixture
def demo_db(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REVIEWDAY_PASSPHRASE", PASSPHRASE)
    db = tmp_path / "r.sqlite3"
    assert main(["demo", "--db", str(db), "--date", "2026-11-20"]) == 0
    capsys.readouterr()
    return db


def db_facts(db):
    """Every free text in the database, and per review the actions' (status, deadline)."""
    store, _ = open_database(db, passphrase=lambda _creating: PASSPHRASE, create=False)
    try:
        with store.read() as session:
            texts = set(session.scalars(select(Note.text)))
            texts |= set(session.scalars(select(SectionEntry.text)))
            for action in session.scalars(select(Action)):
                texts |= {action.what, action.why, action.completion_evidence}
            # The review's own free text: feedback in the person's and family's words, the reasons given.
            for correction in session.scalars(select(AccuracyCorrection)):
                texts |= {correction.what, correction.reason}
            for review in session.scalars(select(Review)):
                texts |= {review.notice_given_to, review.person_feedback, review.family_feedback, review.requested_because,
                          review.escalation_other_concern, review.escalation_not_because, review.oversight_outcome,
                          review.person_not_told_because, review.family_not_told_because,
                          review.advocate_not_told_because}
            actions: dict[int, list] = {}
            for action in session.scalars(select(Action)):
                actions.setdefault(action.review_id, []).append((action.status, action.deadline))
            review_ids = list(session.scalars(select(Review.id)))
    finally:
        store.close()
    return {t for t in texts if t and len(t) > 12}, actions, review_ids


def expected_counts(actions, today):
    open_ = sum(1 for status, _ in actions if status is not ActionStatus.DONE)
    overdue = sum(1 for status, deadline in actions
                  if status is not ActionStatus.DONE and deadline is not None and deadline < today)
    return open_, overdue


def test_csv_has_one_row_per_review_with_flags_counts_and_no_free_text(demo_db, tmp_path, capsys):
    out = tmp_path / "oversight.csv"
    assert main(["oversight", "--db", str(demo_db), "--format", "csv", "--out", str(out),
                 "--today", "2026-12-01"]) == 0
    assert "2 reviews, 2 with escalation flags" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    texts, actions, review_ids = db_facts(demo_db)
    assert sorted(int(r["Review ID"]) for r in rows) == sorted(review_ids)
    for row in rows:
        rid = int(row["Review ID"])
        assert row["Person"] == "A.K." and row["Review type"] == "IC(E)TR"
        assert row["Long stay"] == "Yes" and row["Long-term segregation"] == "Yes"
        assert row["Regular seclusion"] == ""
        assert "Long stay: In hospital" in row["Reasons"]
        assert (int(row["Open actions"]), int(row["Overdue actions"])) == expected_counts(
            actions[rid], date(2026, 12, 1))
    # An IC(E)TR sets no repeat interval: the next review is the date each panel agreed on the day.
    assert {r["Review date"]: r["Next review due"] for r in rows} == {"2026-11-20": "2027-02-12",
                                                                       "2026-07-24": "2026-11-20"}
    assert any(int(r["Overdue actions"]) > 0 for r in rows)
    decoded = raw.decode("utf-8-sig")
    assert texts and not [t for t in texts if t in decoded]


def test_after_the_day_columns_give_dates_and_counts_and_the_overdue_report(demo_db, tmp_path):
    out = tmp_path / "after.csv"
    assert main(["oversight", "--db", str(demo_db), "--format", "csv", "--out", str(out),
                 "--today", "2026-12-07"]) == 0
    rows = {r["Review date"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    earlier, demo = rows["2026-07-24"], rows["2026-11-20"]
    # The earlier review: the draft went out 3 days after, one correction each way, sent 9 days after.
    assert (earlier["Draft shared for accuracy check"], earlier["Report sent"]) == ("2026-07-27", "2026-08-02")
    assert (earlier["Corrections accepted"], earlier["Corrections declined"]) == ("1", "1")
    assert (earlier["Copies of the final report sent"], earlier["Report overdue"]) == ("4", "")
    assert earlier["Report due"] == "2026-08-07"
    # The demo day: due 10 working days later, nothing sent by 7 December.
    assert (demo["Report due"], demo["Report sent"], demo["Report overdue"]) == ("2026-12-04", "", "Yes")


def test_today_moves_what_counts_as_overdue(demo_db, tmp_path):
    early, late = tmp_path / "early.csv", tmp_path / "late.csv"
    assert main(["oversight", "--db", str(demo_db), "--format", "csv", "--out", str(early),
                 "--today", "2020-01-01"]) == 0
    assert main(["oversight", "--db", str(demo_db), "--format", "csv", "--out", str(late),
                 "--today", "2030-01-01"]) == 0
    _, actions, _ = db_facts(demo_db)
    for path, today in ((early, date(2020, 1, 1)), (late, date(2030, 1, 1))):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            counts = expected_counts(actions[int(row["Review ID"])], today)
            assert (int(row["Open actions"]), int(row["Overdue actions"])) == counts
    assert all(r["Overdue actions"] == "0" for r in csv.DictReader(io.StringIO(early.read_text("utf-8-sig"))))


def test_xlsx_has_the_same_columns_real_dates_and_no_free_text(demo_db, tmp_path):
    out = tmp_path / "oversight.xlsx"
    assert main(["oversight", "--db", str(demo_db), "--format", "xlsx", "--out", str(out),
                 "--today", "2026-12-01"]) == 0
    book = load_workbook(out)
    sheet = book["Oversight"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == HEADINGS
    assert len(values) == 3
    date_column = HEADINGS.index("Review date")
    assert {row[date_column].date() for row in values[1:]} == {date(2026, 11, 20), date(2026, 7, 24)}
    assert all(row[HEADINGS.index("Long stay")] == "Yes" for row in values[1:])
    texts, _, _ = db_facts(demo_db)
    every_cell = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                          for v in row if v is not None)
    assert not [t for t in texts if t in every_cell]
    assert "OFFICIAL-SENSITIVE" in every_cell


@pytest.mark.parametrize(("args", "fragment"), [
    (["--format", "pdf", "--out", "{dir}/o.pdf"], "invalid choice: 'pdf'"),
    (["--format", "csv", "--out", "{dir}/o.xlsx"], "must end in .csv"),
    (["--format", "xlsx", "--out", "{dir}/no/such/o.xlsx"], "does not exist"),
    (["--format", "csv", "--out", "{dir}"], "is a folder"),
    (["--format", "csv", "--out", "{dir}/o.csv", "--today", "01/12/2026"], "is not a date"),
    (["--format", "csv"], "--out"),
])
def test_bad_format_or_out_exits_2_with_one_line(demo_db, tmp_path, capsys, args, fragment):
    argv = ["oversight", "--db", str(demo_db)] + [a.format(dir=tmp_path) for a in args]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reviewday: ") and fragment in lines[0], lines
    assert "Traceback" not in captured.err
    assert not list(tmp_path.glob("o.*"))


def test_a_missing_database_exits_2(tmp_path, capsys):
    assert main(["oversight", "--db", str(tmp_path / "none.sqlite3"), "--format", "csv",
                 "--out", str(tmp_path / "o.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_outcome_and_decision_columns_carry_scales_and_dates_only(demo_db, tmp_path):
    out = tmp_path / "oversight.csv"
    assert main(["oversight", "--db", str(demo_db), "--format", "csv", "--out", str(out),
                 "--today", "2026-12-01"]) == 0
    rows = {r["Review date"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    today = rows["2026-11-20"]
    assert today["Escalation decision"] == "Escalate" and today["Decision date"] == "2026-11-20"
    assert (today["Person told"], today["Family told"], today["Advocate told"]) == ("2026-11-20",) * 3
    assert (today["Person felt listened to"], today["Family felt listened to"]) == ("Yes", "Partly")
    assert today["Community C(E)TR before admission"] == "Yes" and today["Root cause analysis due"] == ""
    assert today["CQC rating"] == "Requires improvement" and today["Secure level"] == "Not secure"
    assert int(today["Days in segregation"]) == 30 * 7
    assert today["Readmission"] == "" and today["Days from discharge to readmission"] == ""
    earlier = rows["2026-07-24"]
    assert earlier["Escalation decision"] == "Not decided" and earlier["Person felt listened to"] == ""
    # What became of the previous review's recommendations: counts only, never their words.
    assert (today["Previous review's recommendations"], today["Previous: done"], today["Previous: partly done"],
            today["Previous: not done"], today["Previous: outcome not recorded"]) == ("5", "1", "1", "2", "0")
    assert earlier["Previous review's recommendations"] == "0"


def test_list_json_carries_the_place_rating_and_decision(demo_db, capsys):
    import json

    assert main(["list", "--db", str(demo_db), "--json"]) == 0
    rows = {row["date"]: row for row in json.loads(capsys.readouterr().out)}
    today = rows["2026-11-20"]
    assert today["setting"] == "Elmfield Hospital, Elm Unit, Cedar Ward"
    assert (today["unit"], today["cqc_rating"], today["secure_level"]) == ("Elm Unit", "requires_improvement", "none")
    assert today["segregation_started"] == "2026-04-24" and today["next_review_agreed"] == "2027-02-12"
    assert today["escalation_decision"] == "escalate"
    assert "requested_because" not in today  # free text stays out of lists
