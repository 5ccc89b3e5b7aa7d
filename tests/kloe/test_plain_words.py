"""Plain words: every section and prompt in every template has them; a bad file gives one sentence."""

from __future__ import annotations

import tomllib

import pytest

from app.kloe import TemplateError, TemplateRegistry
from app.kloe.loader import TEMPLATES_DIR
from app.kloe.plain_words import MAX_LENGTH, PLAIN_WORDS_PATH, default_plain_words, load_plain_words


def _template_ids() -> tuple[set[str], set[str]]:
    """Section and prompt ids read straight from app/kloe/templates/*.toml."""
    section_ids: set[str] = set()
    prompt_ids: set[str] = set()
    for path in sorted(TEMPLATES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for section in data.get("sections", []):
            section_ids.add(section["id"])
            prompt_ids.update(p["id"] for p in section.get("prompts", []))
    return section_ids, prompt_ids


def test_every_section_and_prompt_in_every_template_has_plain_words():
    words = load_plain_words()
    section_ids, prompt_ids = _template_ids()
    assert section_ids and prompt_ids
    assert sorted(section_ids - set(words.sections)) == []
    assert sorted(prompt_ids - set(words.prompts)) == []
    assert words.missing(TemplateRegistry().all()) == []


def test_plain_words_are_short_and_simple():
    words = default_plain_words()
    for text in [*words.sections.values(), *words.prompts.values()]:
        assert len(text) <= MAX_LENGTH
        # Short sentences: no sentence over 20 words.
        for sentence in text.replace("?", ".").replace("!", ".").split("."):
            assert len(sentence.split()) <= 20, text
    assert words.prompt("safeguarding").startswith("Has anyone hurt you")


def test_unknown_ids_fall_back_to_the_template_wording():
    words = default_plain_words()
    assert words.prompt("not_a_prompt", "Original wording") == "Original wording"
    assert words.section("opening", "Opening") == "Getting started"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[sections\n", "not valid TOML"),
        ('[prompts]\nrisks = "x"\n', "[sections] table is missing"),
        ('[sections]\nsafety = "Safe"\n[prompts]\nrisks = ""\n', "prompts.risks must be a non-empty string"),
        ('[sections]\nsafety = "Safe"\n[prompts]\nrisks = 3\n', "prompts.risks must be a non-empty string"),
        ('[sections]\nsafety = "Safe"\n[prompts]\nrisks = "' + "x" * 200 + '"\n', "longer than"),
        ('[sections]\nsafety = "Safe"\n[prompts]\nrisks = "Risk"\n[extra]\na = "b"\n', "unexpected table [extra]"),
    ],
)
def test_a_broken_file_gives_one_sentence_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "plain_words.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_plain_words(path)
    message = str(caught.value)
    assert message.startswith("plain_words.toml: ")
    assert problem in message
    assert "\n" not in message


def test_a_missing_or_non_utf8_file_is_named(tmp_path):
    with pytest.raises(TemplateError, match=r"^absent\.toml: the plain words could not be read"):
        load_plain_words(tmp_path / "absent.toml")
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[sections]\nsafety = "S\xe9curit\xe9"\n')
    with pytest.raises(TemplateError, match=r"^latin\.toml: the file is not UTF-8"):
        load_plain_words(path)


def test_the_shipped_file_is_the_default():
    assert load_plain_words(PLAIN_WORDS_PATH) == default_plain_words()
