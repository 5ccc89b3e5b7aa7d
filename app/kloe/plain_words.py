"""Plain words: each KLOE section and prompt said in short sentences and everyday words.

The wording is data (``plain_words.toml`` beside this module), keyed by the section and prompt
ids the templates share. The expert by experience's large-text view and, when chosen in the
settings, the guidance panel show it instead of the template's own wording. A file that cannot
be used gives one ``TemplateError`` naming the file and the problem.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.kloe.loader import PACKAGE_DIR, Template, TemplateError

PLAIN_WORDS_PATH = PACKAGE_DIR / "plain_words.toml"
MAX_LENGTH = 160  # short sentences: anything longer is not plain words


@dataclass(frozen=True)
class PlainWords:
    """Plain wording by id. Missing ids fall back to the template's own wording."""

    sections: Mapping[str, str]
    prompts: Mapping[str, str]

    def section(self, section_id: str, fallback: str = "") -> str:
        return self.sections.get(section_id) or fallback

    def prompt(self, prompt_id: str, fallback: str = "") -> str:
        return self.prompts.get(prompt_id) or fallback

    def missing(self, templates: Iterable[Template]) -> list[str]:
        """Every section and prompt id in `templates` without plain wording, as 'kind id'."""
        gaps: list[str] = []
        for template in templates:
            for section in template.sections:
                if section.id not in self.sections and f"section {section.id}" not in gaps:
                    gaps.append(f"section {section.id}")
                for prompt in section.prompts:
                    if prompt.id not in self.prompts and f"prompt {prompt.id}" not in gaps:
                        gaps.append(f"prompt {prompt.id}")
        return gaps


def load_plain_words(path: Path | str = PLAIN_WORDS_PATH) -> PlainWords:
    """Read and check the plain-words file; raises TemplateError naming the file."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise TemplateError(target, f"the plain words could not be read ({exc.strerror or exc}).") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TemplateError(target, "the file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(target, f"the file is not valid TOML ({exc}).") from None
    unknown = sorted(set(data) - {"sections", "prompts"})
    if unknown:
        raise TemplateError(target, f"unexpected table [{unknown[0]}]: only [sections] and [prompts] are allowed.")
    tables = {}
    for kind in ("sections", "prompts"):
        table = data.get(kind)
        if not isinstance(table, dict) or not table:
            raise TemplateError(target, f"the [{kind}] table is missing or empty.")
        for key, text in table.items():
            if not isinstance(text, str) or not text.strip():
                raise TemplateError(target, f"{kind}.{key} must be a non-empty string.")
            if len(text) > MAX_LENGTH:
                raise TemplateError(target, f"{kind}.{key} is longer than {MAX_LENGTH} characters: keep it short.")
        tables[kind] = {key: " ".join(text.split()) for key, text in table.items()}
    return PlainWords(sections=tables["sections"], prompts=tables["prompts"])


@functools.cache
def default_plain_words() -> PlainWords:
    """The shipped plain words, read once."""
    return load_plain_words(PLAIN_WORDS_PATH)
