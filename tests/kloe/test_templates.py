"""The shipped KLOE templates: all load, and each says what the outline says it should."""

from __future__ import annotations

import json
import re
import time
import tomllib
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from app.kloe import Cadence, Template, TemplateError, TemplateRegistry, load_template
from app.kloe.loader import SCHEMA_PATH, TEMPLATES_DIR
from app.kloe.roles import ROLES_BY_ID

TYPE_IDS = ["adult_community", "adult_inpatient", "post_admission", "post_discharge", "cyp_community", "cyp_inpatient",
            "icetr", "laep"]
FULL_TYPES = [t for t in TYPE_IDS if t not in ("laep", "post_discharge")]
# Review types with a newer version than 1: (id, newest version).
NEWER = {"icetr": 2}
CHILDREN = ["cyp_community", "cyp_inpatient"]
COMMUNITY = ["adult_community", "cyp_community"]
SPINE = ["opening", "safety", "care_treatment", "daily_life", "physical_health", "future_plans",
         "hospital_or_community", "findings"]
HEADLINES = {
    "safe": (1, "Is the person safe?"),
    "good_care": (2, "Is the person getting good care and treatment now?"),
    "future_plan": (3, "Is there a plan in place for the person's future?"),
    "community": (4, "Could the person's care and treatment be provided in the community?"),
}
CHAIR_SECTIONS = {"opening", "future_plans", "hospital_or_community", "findings"}
CLINICAL_SECTIONS = {"safety", "care_treatment", "physical_health"}


@pytest.fixture(scope="module")
def registry() -> TemplateRegistry:
    return TemplateRegistry()


def _text(template: Template) -> str:
    parts = [template.title, template.description]
    for section in template.sections:
        parts += [section.title, section.summary, *(p.text for p in section.prompts)]
    return " ".join(parts).lower()


def test_every_shipped_file_loads_and_is_named_for_its_id_and_version():
    files = sorted(TEMPLATES_DIR.glob("*.toml"))
    assert len(files) == len(TYPE_IDS) + sum(version - 1 for version in NEWER.values())
    for path in files:
        template = load_template(path)
        assert path.name == f"{template.id}.v{template.version}.toml"
        assert 1 <= template.version <= NEWER.get(template.id, 1)


def test_registry_has_every_review_type_in_display_order(registry):
    assert [t.id for t in registry.latest_all()] == TYPE_IDS
    assert [t.id for t in registry.all()] == [t for t in TYPE_IDS for _ in range(NEWER.get(t, 1))]
    for type_id in TYPE_IDS:
        assert registry.latest(type_id) is registry.get(type_id, NEWER.get(type_id, 1))


def test_default_registry_is_cached():
    assert TemplateRegistry.default() is TemplateRegistry.default()
    assert [t.id for t in TemplateRegistry.default().latest_all()] == TYPE_IDS


def test_shipped_files_match_the_schema_file():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in TEMPLATES_DIR.glob("*.toml"):
        errors = list(validator.iter_errors(tomllib.loads(path.read_text(encoding="utf-8"))))
        assert errors == [], path.name


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_headline_questions_are_exactly_the_outline_ones(registry, type_id):
    questions = registry.latest(type_id).headline_questions
    assert {q.id: (q.number, q.text) for q in questions} == HEADLINES
    assert [q.number for q in questions] == [1, 2, 3, 4]


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_template_fields_are_filled_and_in_range(registry, type_id):
    t = registry.latest(type_id)
    assert t.title and t.short_title and t.description
    assert t.description.endswith(".") and t.description.count(". ") == 0  # one sentence
    assert t.setting in ("community", "inpatient", "any")
    assert t.age_group in ("adult", "children", "any")
    assert t.independent is (type_id == "icetr")
    assert len({t.short_title for t in registry.latest_all()}) == len(TYPE_IDS)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_sections_are_numbered_in_order_with_known_panel_leads(registry, type_id):
    t = registry.latest(type_id)
    assert [s.number for s in t.sections] == list(range(len(t.sections)))
    assert t.sections[0].id == "opening" and t.sections[-1].id == "findings"
    for section in t.sections:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", section.id)
        assert section.lead_role in ROLES_BY_ID and ROLES_BY_ID[section.lead_role].panel
        assert section.lead_role in t.panel_roles
        assert section.summary.endswith(".")
        assert t.section(section.id) is section


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_prompts_are_short_plain_and_four_to_eight(registry, type_id):
    for section in registry.latest(type_id).sections:
        assert 4 <= len(section.prompts) <= 8, section.id
        ids = [p.id for p in section.prompts]
        assert len(ids) == len(set(ids))
        for prompt in section.prompts:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", prompt.id)
            assert 10 <= len(prompt.text) <= 100, prompt.text
            assert prompt.text == prompt.text.strip()
            assert prompt.text[0].isupper()


@pytest.mark.parametrize("type_id", FULL_TYPES)
def test_full_reviews_follow_the_spine_and_fill_a_day(registry, type_id):
    t = registry.latest(type_id)
    ids = [s.id for s in t.sections]
    expected = SPINE[:-1] + (["lts"] if type_id == "icetr" else []) + ["findings"]
    assert ids == expected
    assert 240 <= t.total_minutes <= 360
    chair = "independent_chair" if t.independent else "chair"
    for section in t.sections:
        if section.id in CHAIR_SECTIONS:
            assert section.lead_role == chair, section.id
        elif section.id in CLINICAL_SECTIONS:
            assert section.lead_role == "clinical_expert", section.id
        elif section.id == "daily_life":
            assert section.lead_role == "expert_by_experience"


@pytest.mark.parametrize("type_id", FULL_TYPES)
def test_panel_roles(registry, type_id):
    expected = (
        ("independent_chair", "clinical_expert", "expert_by_experience", "mha_reviewer", "commissioner", "note_taker")
        if type_id == "icetr"
        else ("chair", "clinical_expert", "expert_by_experience", "note_taker")
    )
    assert registry.latest(type_id).panel_roles == expected


def test_icetr_has_the_lts_addendum_led_by_the_mha_reviewer(registry):
    icetr = registry.latest("icetr")
    lts = icetr.section("lts")
    assert lts.lead_role == "mha_reviewer"
    assert lts.number == icetr.section("hospital_or_community").number + 1
    text = " ".join(p.text.lower() for p in lts.prompts)
    for needle in ("least restrictive", "fresh air", "contact", "end segregation", "reviews"):
        assert needle in text
    assert icetr.short_title == "IC(E)TR"
    assert all(t.id == "icetr" or "lts" not in {s.id for s in t.sections} for t in registry.latest_all())


@pytest.mark.parametrize("type_id", CHILDREN)
def test_childrens_reviews_cover_education_and_the_ehc_plan(registry, type_id):
    t = registry.latest(type_id)
    assert t.age_group == "children"
    text = _text(t)
    assert "education" in text and "ehc plan" in text and "school" in text
    assert "adult services" in text
    assert "CETR" in t.short_title


@pytest.mark.parametrize("type_id", COMMUNITY)
def test_community_reviews_focus_on_avoiding_admission(registry, type_id):
    t = registry.latest(type_id)
    assert t.setting == "community"
    text = _text(t)
    assert "crisis plan" in text
    assert "dynamic support register" in text
    assert "avoid" in text and "admission" in text
    assert "contingency" in " ".join(p.id for s in t.sections for p in s.prompts)


def test_laep_is_short(registry):
    laep = registry.latest("laep")
    assert 60 <= laep.total_minutes <= 90
    assert 3 <= len(laep.sections) <= 6
    assert "expert_by_experience" not in laep.panel_roles
    assert {"chair", "note_taker"} <= set(laep.panel_roles)
    assert laep.short_title == "LAEP"


def test_cadence_is_data_with_verify_notes(registry):
    inpatient = registry.latest("adult_inpatient").cadence
    assert (inpatient.months_for(False), inpatient.months_for(True)) == (6, 12)
    assert "(verify)" in inpatient.note
    children = registry.latest("cyp_inpatient").cadence
    assert (children.months_for(False), children.months_for(True)) == (3, 3)
    assert "(verify)" in children.note
    post = registry.latest("post_admission").cadence
    # Due within working days of admission, then the inpatient cadence.
    assert (post.admission_working_days_for(False), post.admission_working_days_for(True), post.months) == (10, 5, 6)
    assert "10 working days" in post.note and "(verify" in post.note
    for t in registry.latest_all():
        assert t.cadence.note


def test_cadence_months_for():
    assert Cadence(6, 12, "").months_for(secure=True) == 12
    assert Cadence(6, None, "").months_for(secure=True) == 6
    assert Cadence(None, None, "").months_for(secure=False) is None


def test_section_lookup_and_totals(registry):
    t = registry.latest("adult_inpatient")
    assert t.total_minutes == sum(s.minutes for s in t.sections)
    with pytest.raises(KeyError, match="no section 'lts'"):
        t.section("lts")


def test_registry_lookups_fail_with_clear_messages(registry):
    with pytest.raises(KeyError) as unknown:
        registry.latest("nope")
    assert "Unknown template 'nope'" in str(unknown.value)
    with pytest.raises(KeyError) as version:
        registry.get("icetr", 9)
    assert str(version.value) == "Template 'icetr' has no version 9 (known: v1, v2)."


def test_models_are_frozen_and_hashable(registry):
    t = registry.latest("icetr")
    with pytest.raises(FrozenInstanceError):
        t.title = "x"  # type: ignore[misc]
    assert hash(t) == hash(load_template(TEMPLATES_DIR / "icetr.v2.toml"))


def test_the_package_does_not_import_qt():
    for path in Path(SCHEMA_PATH).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide" not in text and "shiboken" not in text, path.name


def test_loading_all_templates_is_fast():
    TemplateRegistry()  # warm: jsonschema import and validator build happen once
    best = min(_timed(TemplateRegistry) for _ in range(3))
    # About 30-50 ms on a slow CI machine; the bound only catches gross regressions
    # (such as rebuilding the validator for every file).
    assert best < 0.5


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_icetr_version_2_puts_the_commissioner_on_the_panel_and_version_1_stays(registry):
    old, new = registry.get("icetr", 1), registry.get("icetr", 2)
    assert "commissioner" not in old.panel_roles  # reviews started with v1 keep their panel
    assert "commissioner" in new.panel_roles and ROLES_BY_ID["commissioner"].panel
    assert [s.id for s in old.sections] == [s.id for s in new.sections]
    assert registry.latest("icetr") is new


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_follow_up_is_template_data_with_an_owner_role(registry, type_id):
    follow_up = registry.latest(type_id).follow_up
    assert follow_up.owner_role in ROLES_BY_ID
    assert "(verify)" in follow_up.text
    assert "confirm completion to the chair" not in follow_up.text.lower()


def test_icetr_actions_are_followed_up_by_the_commissioner_for_the_oversight_panel(registry):
    for version in (1, 2):
        follow_up = registry.get("icetr", version).follow_up
        assert follow_up.owner_role == "commissioner"
        assert "commissioner" in follow_up.text and "oversight panel" in follow_up.text
    assert "responsible commissioner" in registry.latest("adult_inpatient").follow_up.text


def test_a_template_without_follow_up_gets_the_default(tmp_path):
    source = (TEMPLATES_DIR / "laep.v1.toml").read_text(encoding="utf-8")
    start = source.index("[follow_up]")
    end = source.index("[[headline_questions]]")
    path = tmp_path / "laep.v1.toml"
    path.write_text(source[:start] + source[end:], encoding="utf-8")
    assert "responsible commissioner" in load_template(path).follow_up.text


def test_post_discharge_review_looks_at_how_the_discharge_is_going(registry):
    t = registry.latest("post_discharge")
    assert t.setting == "community" and not t.independent
    ids = [s.id for s in t.sections]
    assert {"discharge_going", "crisis_contingency", "home_support", "readmission_risk"} <= set(ids)
    text = _text(t)
    for needle in ("crisis plan", "housing" if "housing" in text else "home", "provider", "back into hospital",
                   "discharge plan"):
        assert needle in text


def test_a_template_without_documents_gets_the_default_checklist(tmp_path):
    from app.kloe.loader import DEFAULT_DOCUMENTS

    source = (TEMPLATES_DIR / "laep.v1.toml").read_text(encoding="utf-8")
    start = source.index("[[documents]]")
    end = source.index("[[headline_questions]]")
    path = tmp_path / "laep.v1.toml"
    path.write_text(source[:start] + source[end:], encoding="utf-8")
    assert load_template(path).documents == DEFAULT_DOCUMENTS


def test_a_document_id_used_twice_is_refused_naming_the_file(tmp_path):
    source = (TEMPLATES_DIR / "laep.v1.toml").read_text(encoding="utf-8")
    start = source.index("[[documents]]")
    path = tmp_path / "laep.v1.toml"
    twice = '[[documents]]\nid = "care_plan"\ntitle = "Another care plan"\n\n'
    path.write_text(source[:start] + twice + source[start:], encoding="utf-8")
    with pytest.raises(TemplateError, match=r"laep\.v1\.toml.*document\[1\]\.id.*duplicate document id 'care_plan'"):
        load_template(path)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_every_review_type_asks_for_the_core_papers_before_the_day(registry, type_id):
    ids = {document.id for document in registry.latest(type_id).documents}
    assert {"care_plan", "pbs_plan", "risk_assessment"} <= ids
