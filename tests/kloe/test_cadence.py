"""The review cadence as template data, and the next review's due date worked out from it."""

from __future__ import annotations

from datetime import date

import pytest

from app.kloe import TemplateError, TemplateRegistry, load_template
from app.kloe.loader import TEMPLATES_DIR
from app.models.enums import Service
from app.services.dto import ReviewSetup
from app.services.next_review import cadence_note, due_after_admission, next_review_due


@pytest.fixture(scope="module")
def registry():
    return TemplateRegistry()


def setup(template_id="adult_inpatient", review_date=date(2026, 11, 20), **fields):
    return ReviewSetup(template_id=template_id, person_label="Q.R.", review_date=review_date, **fields)


def test_shipped_cadences(registry):
    adult = registry.latest("adult_inpatient").cadence
    assert (adult.months_for(False), adult.months_for(True)) == (6, 12)
    assert registry.latest("cyp_inpatient").cadence.months_for(False) == 3
    post = registry.latest("post_admission").cadence
    assert (post.admission_weeks_for(False), post.admission_weeks_for(True)) == (4, 2)
    assert (post.months_for(False), post.months_for(True), post.months_for(False, child=True)) == (6, 12, 3)
    for community in ("adult_community", "cyp_community"):
        cadence = registry.latest(community).cadence
        assert cadence.months_for(False) is None and cadence.note


def test_cadence_values_are_marked_verify_in_the_files():
    for name in ("adult_inpatient.v1.toml", "cyp_inpatient.v1.toml", "post_admission.v1.toml"):
        text = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
        block = text.split("[cadence]", 1)[1].split("[[", 1)[0]
        for line in block.splitlines():
            if line.split("=")[0].strip() in {"months", "secure_months", "child_months", "admission_weeks",
                                              "child_admission_weeks"}:
                assert "(verify)" in line, line


@pytest.mark.parametrize(("value", "fragment"), [
    ('"six"', "cadence.months"),
    ("0", "cadence.months"),
    ("6.0", "cadence.months"),
])
def test_a_broken_cadence_value_gives_one_error_naming_the_file(tmp_path, value, fragment):
    source = (TEMPLATES_DIR / "adult_inpatient.v1.toml").read_text(encoding="utf-8")
    broken = source.replace("months = 6  # (verify)", f"months = {value}", 1)
    assert broken != source
    path = tmp_path / "adult_inpatient.v1.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert str(info.value).startswith("adult_inpatient.v1.toml: ")
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_an_unknown_cadence_key_is_refused(tmp_path):
    source = (TEMPLATES_DIR / "cyp_inpatient.v1.toml").read_text(encoding="utf-8")
    path = tmp_path / "cyp_inpatient.v1.toml"
    path.write_text(source.replace("[cadence]\n", "[cadence]\nweeks = 3\n", 1), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^cyp_inpatient\.v1\.toml: cadence"):
        load_template(path)


@pytest.mark.parametrize(("fields", "due", "words"), [
    ({}, date(2027, 5, 20), "every 6 months"),
    ({"secure": True}, date(2027, 11, 20), "every 12 months for a secure setting"),
])
def test_adult_inpatient_next_review(registry, fields, due, words):
    result = next_review_due(setup(**fields), registry.latest("adult_inpatient"))
    assert result.due == due and words in result.reason and "to be confirmed" in result.reason


def test_next_review_from_the_31st_and_a_leap_day(registry):
    template = registry.latest("adult_inpatient")
    assert next_review_due(setup(review_date=date(2026, 8, 31)), template).due == date(2027, 2, 28)
    assert next_review_due(setup(review_date=date(2027, 8, 31)), template).due == date(2028, 2, 29)
    cyp = registry.latest("cyp_inpatient")
    assert next_review_due(setup("cyp_inpatient", review_date=date(2026, 11, 30)), cyp).due == date(2027, 2, 28)


def test_post_admission_uses_the_childs_interval(registry):
    template = registry.latest("post_admission")
    assert next_review_due(setup("post_admission"), template).due == date(2027, 5, 20)
    child = next_review_due(setup("post_admission", service=Service.CAMHS), template)
    assert child.due == date(2027, 2, 20) and "child or young person" in child.reason


def test_community_review_has_no_fixed_date_and_says_why(registry):
    template = registry.latest("adult_community")
    result = next_review_due(setup("adult_community"), template)
    assert result.due is None and result.reason == cadence_note(template) and "(verify)" not in result.reason


def test_post_admission_review_itself_was_due_working_days_after_admission(registry):
    template = registry.latest("post_admission")
    on_time = due_after_admission(setup("post_admission", admission_date=date(2026, 11, 6)), template)
    assert on_time.due == date(2026, 11, 20) and "held in time" in on_time.reason
    late = due_after_admission(setup("post_admission", admission_date=date(2026, 10, 1), service=Service.CAMHS),
                               template)
    assert late.due == date(2026, 10, 8) and "held 31 working days late" in late.reason
    missing = due_after_admission(setup("post_admission"), template)
    assert missing.due is None and "add the admission date" in missing.reason


def test_a_template_with_weeks_only_still_counts_calendar_weeks(registry):
    from dataclasses import replace

    template = registry.latest("post_admission")
    weeks_only = replace(template, cadence=replace(template.cadence, admission_working_days=None,
                                                   child_admission_working_days=None))
    on_time = due_after_admission(setup("post_admission", admission_date=date(2026, 11, 1)), weeks_only)
    assert on_time.due == date(2026, 11, 29) and "held in time" in on_time.reason
    late = due_after_admission(setup("post_admission", admission_date=date(2026, 10, 1), service=Service.CAMHS),
                               weeks_only)
    assert late.due == date(2026, 10, 15) and "held 36 days late" in late.reason
    assert due_after_admission(setup(), registry.latest("adult_inpatient")) is None
