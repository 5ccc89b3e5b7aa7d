"""Everyday words only: no jargon in what people read (window text, review templates, reports,
the user guide). Code may use any names it likes; only the words shown to people are checked."""

from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
# Words a panel member, a family or a provider would stumble on; say what is meant instead.
BANNED = ("cadence", "utilise", "utilize", "stakeholder", "going forward", "deliverable", "leverage")
_BANNED = re.compile(r"\b(" + "|".join(re.escape(word) for word in BANNED) + r")", re.IGNORECASE)
# A bare identifier ("cadence" as a TOML key looked up in code) is not shown to anyone.
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _jargon(text: str) -> list[str]:
    return [match.group(0) for match in _BANNED.finditer(text)]


def _shown_strings(tree: ast.AST):
    """The string literals of a module, except docstrings and bare identifiers."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                and not _IDENTIFIER.match(node.value)):
            yield node.lineno, node.value


def test_the_scan_finds_jargon_where_it_is_shown_and_not_in_names():
    source = 'def f():\n    """About the cadence."""\n    x = data["cadence"]\n    return f"every {x} (template cadence)"\n'
    assert [text for _line, text in _shown_strings(ast.parse(source)) if _jargon(text)] == [" (template cadence)"]
    assert _jargon("We will Utilise the stakeholders") == ["Utilise", "stakeholder"]


def test_no_jargon_in_the_apps_own_words():
    found = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _shown_strings(tree):
            if _jargon(text):
                found.append(f"{path.relative_to(APP)}:{line}: {text!r}")
    assert found == []


def _toml_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _toml_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _toml_strings(item)


def test_no_jargon_in_the_review_templates_or_the_guide():
    found = []
    for path in sorted((APP / "kloe").rglob("*.toml")):  # the templates and the plain-words glossary
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found += [f"{path.name}: {text!r}" for text in _toml_strings(data) if _jargon(text)]
    for path in (APP / "help" / "user-guide.md",):
        found += [f"{path.name}: {line!r}" for line in path.read_text(encoding="utf-8").splitlines() if _jargon(line)]
    assert found == []


def _report_strings(value):
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _report_strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _report_strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _report_strings(item)


@pytest.mark.parametrize("template_id", ["adult_inpatient", "post_admission", "adult_community", "icetr"])
def test_no_jargon_in_a_report(store, actor, setup_icetr, template_id):
    from app.report.document import build_report
    from app.services import reviews

    review = reviews.create_review(store, dataclasses.replace(setup_icetr, template_id=template_id), actor)
    report = build_report(store, review.id)
    text = list(_report_strings(report))
    assert any("review" in t.casefold() for t in text)  # the walk reached the report's words
    assert [t for t in text if _jargon(t)] == []
