"""Jargon in plain words: found with a suggested everyday wording; the list is data, checked when read."""

from __future__ import annotations

import re

import pytest

from app.kloe import TemplateError
from app.kloe.jargon import JARGON_PATH, default_jargon, find_jargon, jargon_warning, load_jargon
from app.kloe.plain_words import default_plain_words


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("You will get PRN less often.", "PRN"),
        ("Staff will read your PBS plan.", "PBS"),
        ("A STOMP review of your medicine.", "STOMP"),
        ("The MDT will meet.", "MDT"),
        ("Your LTS will end.", "LTS"),
        ("Your next CTR is in May.", "CTR"),
        ("You are on s3.", "s3"),
        ("You are on a section 37/41.", "section 37/41"),
        ("Your Section 3 ends in March.", "Section 3"),
        ("The SLT will see you.", "SLT"),
        ("Your IMHA will come.", "IMHA"),
        ("We will plan your discharge.", "discharge"),
        ("Seclusion will stop.", "Seclusion"),
    ],
)
def test_each_kind_of_jargon_is_found_with_an_everyday_wording(text, found):
    (hit,) = find_jargon(text)
    assert hit.found == found
    assert hit.say and hit.say.lower() != found.lower()


def test_plain_text_and_ordinary_words_are_not_jargon():
    assert find_jargon("Staff will ask you to go outside two times every day.") == []
    # Acronyms are matched as whole words in capitals: "prn" inside a word, "its 3 cats", "mdt" lower case are not.
    assert find_jargon("It's 3 o'clock. Its 3 cats sleep. The imprint is small.") == []
    assert find_jargon("") == []


def test_several_terms_are_listed_once_each_in_reading_order():
    hits = find_jargon("PRN and PBS. Then PRN again, under s3.")
    assert [h.found for h in hits] == ["PRN", "PBS", "s3"]


def test_the_warning_is_one_line_naming_each_term_and_what_to_say():
    warning = jargon_warning("The MDT will look at PRN.")
    assert "\n" not in warning
    assert warning.startswith("Jargon:")
    assert '"MDT"' in warning and '"PRN"' in warning
    assert default_jargon().find("MDT")[0].say in warning
    assert jargon_warning("You will go outside every day.") == ""


def test_the_shipped_plain_words_have_no_jargon_of_their_own():
    words = default_plain_words()
    suggestions = [entry.say for entry in default_jargon().entries]
    for text in [*words.sections.values(), *words.prompts.values(), *suggestions]:
        assert find_jargon(text) == [], text


def test_the_list_ships_as_package_data():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["app.kloe"]
    assert any(Path(JARGON_PATH.name).match(pattern) for pattern in shipped)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not toml [", "not valid TOML"),
        ("[[jargon]]\nterms = []\nsay = 'x'\n", "needs at least one term or pattern"),
        ("[[jargon]]\nterms = ['PRN']\n", "needs a 'say'"),
        ("[[jargon]]\npatterns = ['(']\nsay = 'x'\n", "pattern"),
        ("[other]\n", "only [[jargon]]"),
        ("", "no [[jargon]] entries"),
    ],
)
def test_a_bad_list_gives_one_sentence_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "jargon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape(problem)) as caught:
        load_jargon(path)
    assert str(caught.value).startswith("jargon.toml: ")
    assert "\n" not in str(caught.value)
