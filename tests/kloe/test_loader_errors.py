"""Broken template files: each gives one TemplateError naming the file and the problem."""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.kloe import Template, TemplateError, TemplateRegistry, load_template
from app.kloe.loader import TEMPLATES_DIR

SOURCE = TEMPLATES_DIR / "adult_inpatient.v1.toml"
NAME = SOURCE.name
TEXT = SOURCE.read_text(encoding="utf-8")
BASE: dict[str, Any] = tomllib.loads(TEXT)


# --------------------------------------------------------------------------- a tiny TOML writer

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _string(value: str) -> str:
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    """Top-level keys one per line; nested tables and arrays as inline values."""
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in data.items())


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def mutated(change) -> str:
    data = copy.deepcopy(BASE)
    change(data)
    return to_toml(data)


def expect_error(path: Path, *fragments: str) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        load_template(path)
    error = info.value
    assert str(error) == f"{path.name}: {error.problem}"
    assert error.path == path
    for fragment in fragments:
        assert fragment in error.problem, (fragment, error.problem)
    return error


# --------------------------------------------------------------------------- the writer itself


def test_the_test_writer_round_trips_a_real_template(tmp_path):
    assert tomllib.loads(to_toml(BASE)) == BASE
    assert load_template(write(tmp_path, NAME, to_toml(BASE))) == load_template(SOURCE)


# --------------------------------------------------------------------------- one problem each


def test_the_documented_example_message(tmp_path):
    def change(d):
        d["sections"][2]["minutes"] = "ten"

    error = expect_error(write(tmp_path, NAME, mutated(change)))
    assert str(error) == "adult_inpatient.v1.toml: section[2].minutes: 'ten' is not of type 'integer'"


def test_toml_syntax_error(tmp_path):
    expect_error(write(tmp_path, NAME, TEXT.replace("version = 1", "version = = 1")),
                 "TOML syntax error", "line")


def test_missing_field(tmp_path):
    expect_error(write(tmp_path, NAME, mutated(lambda d: d.pop("title"))), "'title' is a required property")


def test_missing_section_field(tmp_path):
    expect_error(write(tmp_path, NAME, mutated(lambda d: d["sections"][3].pop("lead"))),
                 "section[3]", "'lead' is a required property")


def test_wrong_type(tmp_path):
    def change(d):
        d["independent"] = "yes"

    expect_error(write(tmp_path, NAME, mutated(change)), "independent", "is not of type 'boolean'")


@pytest.mark.parametrize("value", [30.0, True])
def test_minutes_must_be_a_real_integer(tmp_path, value):
    def change(d):
        d["sections"][0]["minutes"] = value

    expect_error(write(tmp_path, NAME, mutated(change)), "section[0].minutes", "is not of type 'integer'")


def test_minutes_out_of_range(tmp_path):
    def change(d):
        d["sections"][1]["minutes"] = 600

    expect_error(write(tmp_path, NAME, mutated(change)), "section[1].minutes", "600")


def test_bad_id_pattern(tmp_path):
    def change(d):
        d["sections"][1]["prompts"][0]["id"] = "Has Spaces"

    expect_error(write(tmp_path, NAME, mutated(change)), "section[1].prompt[0].id", "does not match")


def test_unexpected_key(tmp_path):
    def change(d):
        d["colour"] = "red"

    expect_error(write(tmp_path, NAME, mutated(change)), "'colour' was unexpected")


def test_unknown_lead_role(tmp_path):
    def change(d):
        d["sections"][4]["lead"] = "wizard"

    expect_error(write(tmp_path, NAME, mutated(change)), "section[4].lead", "unknown role 'wizard'")


def test_lead_must_be_one_of_the_panel_roles(tmp_path):
    def change(d):
        d["sections"][0]["lead"] = "mha_reviewer"

    expect_error(write(tmp_path, NAME, mutated(change)), "section[0].lead", "not one of this template's panel_roles")


def test_unknown_and_non_panel_panel_roles(tmp_path):
    def unknown(d):
        d["panel_roles"].append("wizard")

    def not_panel(d):
        d["panel_roles"].append("person")

    expect_error(write(tmp_path, NAME, mutated(unknown)), "panel_role[4]", "unknown role 'wizard'")
    expect_error(write(tmp_path, NAME, mutated(not_panel)), "panel_role[4]", "'person' is not a panel role")


def test_duplicate_section_id(tmp_path):
    def change(d):
        d["sections"][1]["id"] = "opening"

    expect_error(write(tmp_path, NAME, mutated(change)), "section[1].id", "duplicate section id 'opening'")


def test_duplicate_section_number(tmp_path):
    def change(d):
        d["sections"][5]["number"] = 2

    expect_error(write(tmp_path, NAME, mutated(change)), "section[5].number", "duplicate section number 2")


def test_duplicate_prompt_id(tmp_path):
    def change(d):
        d["sections"][2]["prompts"][3]["id"] = d["sections"][2]["prompts"][0]["id"]

    expect_error(write(tmp_path, NAME, mutated(change)), "section[2].prompt[3].id", "duplicate prompt id")


def test_prompt_ids_may_repeat_across_sections(tmp_path):
    def change(d):
        d["sections"][1]["prompts"][0]["id"] = "what_matters"

    assert load_template(write(tmp_path, NAME, mutated(change))).sections[1].prompts[0].id == "what_matters"


def test_headline_questions_must_be_the_four(tmp_path):
    def duplicate(d):
        d["headline_questions"][3]["id"] = "safe"

    def unknown(d):
        d["headline_questions"][0]["id"] = "happy"

    def missing(d):
        d["headline_questions"].pop()

    expect_error(write(tmp_path, NAME, mutated(duplicate)), "headline_question[3].id", "duplicate")
    expect_error(write(tmp_path, NAME, mutated(unknown)), "headline_question[0].id")
    expect_error(write(tmp_path, NAME, mutated(missing)), "headline_questions", "too short")


@pytest.mark.parametrize("name", ["adult_inpatient.v2.toml", "adult_community.v1.toml", "adult_inpatient.toml"])
def test_file_name_must_match_id_and_version(tmp_path, name):
    expect_error(write(tmp_path, name, TEXT), "file name must be 'adult_inpatient.v1.toml'")


def test_binary_garbage(tmp_path):
    expect_error(write(tmp_path, NAME, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"), "not UTF-8 text", "0x89")


def test_non_utf8_text(tmp_path):
    content = TEXT.replace("Opening", "Ouverture é").encode("latin-1")
    expect_error(write(tmp_path, NAME, content), "not UTF-8 text", "0xe9")


def test_utf8_with_nul_bytes_is_a_syntax_error(tmp_path):
    expect_error(write(tmp_path, NAME, b"id = \x00\n"), "TOML syntax error")


@pytest.mark.parametrize("content", ["", "\n\n   \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, content):
    expect_error(write(tmp_path, NAME, content), "the file is empty")


def test_comments_only_file_lists_what_is_missing(tmp_path):
    expect_error(write(tmp_path, NAME, "# nothing here\n"), "is a required property")


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, NAME, b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert load_template(path) == load_template(SOURCE)


def test_unreadable_file(tmp_path):
    (tmp_path / NAME).mkdir()  # a directory where a file should be
    expect_error(tmp_path / NAME, "cannot read the file")
    expect_error(tmp_path / "missing.v1.toml", "cannot read the file")


def test_very_long_values_are_shortened_in_the_message(tmp_path):
    def change(d):
        d["sections"][0]["prompts"] = "x" * 5000

    error = expect_error(write(tmp_path, NAME, mutated(change)), "section[0].prompts")
    assert len(str(error)) < 300


def test_sections_are_ordered_by_number(tmp_path):
    def change(d):
        d["sections"].reverse()

    template = load_template(write(tmp_path, NAME, mutated(change)))
    assert [s.number for s in template.sections] == list(range(8))


# --------------------------------------------------------------------------- the registry


def test_registry_raises_on_the_first_bad_file(tmp_path):
    write(tmp_path, NAME, TEXT)
    write(tmp_path, "zz_broken.v1.toml", "not toml at all =")
    with pytest.raises(TemplateError) as info:
        TemplateRegistry(tmp_path)
    assert str(info.value).startswith("zz_broken.v1.toml: TOML syntax error")


def test_registry_over_a_custom_directory(tmp_path):
    write(tmp_path, NAME, TEXT)
    v2 = copy.deepcopy(BASE)
    v2["version"] = 2
    v2["title"] = "Adult inpatient review, revised"
    write(tmp_path, "adult_inpatient.v2.toml", to_toml(v2))
    registry = TemplateRegistry(tmp_path)
    assert registry.latest("adult_inpatient").version == 2
    assert registry.get("adult_inpatient", 1).title != registry.get("adult_inpatient", 2).title
    assert [t.version for t in registry.latest_all()] == [2]
    assert [(t.id, t.version) for t in registry.all()] == [("adult_inpatient", 1), ("adult_inpatient", 2)]


def test_registry_rejects_a_duplicate_id_and_version(tmp_path):
    path = write(tmp_path, NAME, TEXT)
    registry = TemplateRegistry(tmp_path)
    with pytest.raises(TemplateError, match="duplicate template 'adult_inpatient' version 1"):
        registry._add(load_template(path), tmp_path / "copy.toml")


def test_registry_over_a_missing_directory(tmp_path):
    with pytest.raises(TemplateError, match="template folder not found"):
        TemplateRegistry(tmp_path / "nowhere")


def test_registry_ignores_other_files(tmp_path):
    write(tmp_path, NAME, TEXT)
    write(tmp_path, "README.md", "notes")
    assert len(TemplateRegistry(tmp_path).all()) == 1


# --------------------------------------------------------------------------- random damage

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "chair", "mha_reviewer", "person", "opening", "safe", "Opening", "x" * 300]),
    st.dates(),
)
_values = st.recursive(
    _scalars.filter(lambda v: v is not None),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=8), inner, max_size=3),
    ),
    max_leaves=6,
)


def _mutate(data: st.DataObject, node: Any, depth: int = 0) -> None:
    """Walk to a random container in the template and damage it in one random way."""
    children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
    descendable = [(k, v) for k, v in children if isinstance(v, (dict, list)) and v]
    if descendable and depth < 6 and data.draw(st.booleans(), label="go deeper"):
        _, child = data.draw(st.sampled_from(descendable), label="into")
        _mutate(data, child, depth + 1)
        return
    operations = ["replace", "add"] + (["delete", "duplicate", "swap"] if children else [])
    operation = data.draw(st.sampled_from(operations), label="operation")
    if operation == "add":
        if isinstance(node, dict):
            node[data.draw(st.text(max_size=10), label="new key")] = data.draw(_values, label="new value")
        else:
            node.append(data.draw(_values, label="new item"))
        return
    if not children:
        node.clear()
        return
    key, value = data.draw(st.sampled_from(children), label="target")
    if operation == "replace":
        node[key] = data.draw(_values, label="replacement")
    elif operation == "delete":
        del node[key]
    elif operation == "duplicate" and isinstance(node, list):
        node.append(copy.deepcopy(value))
    elif operation == "duplicate":
        other = data.draw(st.sampled_from([k for k, _ in children]), label="copy onto")
        node[other] = copy.deepcopy(value)
    else:  # swap two entries' values
        other_key, other_value = data.draw(st.sampled_from(children), label="swap with")
        node[key], node[other_key] = other_value, value


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("kloe_fuzz")


@settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rounds=st.integers(min_value=1, max_value=3))
def test_random_damage_loads_or_raises_template_error(scratch, data, rounds):
    template = copy.deepcopy(BASE)
    for _ in range(rounds):
        _mutate(data, template)
    path = write(scratch, NAME, to_toml(template))
    try:
        result = load_template(path)
    except TemplateError as error:
        assert str(error).startswith(f"{NAME}: ")
        assert error.problem
    else:
        assert isinstance(result, Template)
        assert result.id == "adult_inpatient" and result.version == 1


@settings(max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(TEXT.encode())), st.binary(max_size=4),
                  st.integers(min_value=0, max_value=6)),
        min_size=1,
        max_size=4,
    )
)
def test_random_byte_edits_load_or_raise_template_error(scratch, edits):
    raw = bytearray(TEXT.encode("utf-8"))
    for position, insert, delete in edits:
        raw[position:position + delete] = insert
    path = write(scratch, NAME, bytes(raw))
    try:
        load_template(path)
    except TemplateError as error:
        assert str(error).startswith(f"{NAME}: ")
