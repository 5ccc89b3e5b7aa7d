"""Jargon in plain words: spot the panel's shorthand and suggest an everyday wording.

The list is data (``jargon.toml`` beside this module). The action editor checks an action's
plain words as they are typed; the warning is advice, the words are the panel's to choose.
A list that cannot be used gives one ``TemplateError`` naming the file and the problem.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.kloe.loader import PACKAGE_DIR, TemplateError

JARGON_PATH = PACKAGE_DIR / "jargon.toml"


@dataclass(frozen=True)
class JargonEntry:
    """The words to spot (as one compiled pattern) and what to say instead."""

    pattern: re.Pattern[str]
    say: str


@dataclass(frozen=True)
class JargonHit:
    found: str  # as written in the text
    say: str


@dataclass(frozen=True)
class Jargon:
    entries: tuple[JargonEntry, ...]

    def find(self, text: str) -> list[JargonHit]:
        """Each jargon term in `text` once, in reading order; overlapping matches keep the longest."""
        spans: list[tuple[int, int, str]] = []
        for entry in self.entries:
            spans += [(m.start(), m.end(), entry.say) for m in entry.pattern.finditer(text or "")]
        spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
        hits: list[JargonHit] = []
        seen: set[str] = set()
        end = -1
        for start, stop, say in spans:
            if start < end:
                continue
            end = stop
            found = text[start:stop]
            key = found.casefold()
            if key not in seen:
                seen.add(key)
                hits.append(JargonHit(found, say))
        return hits


def _term_pattern(term: str) -> str:
    words = r"\s+".join(re.escape(word) for word in term.split())
    if term.upper() == term and any(ch.isalpha() for ch in term):
        # An acronym: capitals only, plural allowed ("CTRs").
        return rf"(?<![\w(]){words}s?(?![\w)])"
    return rf"(?i:(?<![\w(]){words}(?![\w)]))"


def load_jargon(path: Path | str = JARGON_PATH) -> Jargon:
    """Read and check the jargon list; raises TemplateError naming the file."""
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise TemplateError(target, f"the jargon list could not be read ({exc.strerror or exc}).") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise TemplateError(target, "the file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(target, f"the file is not valid TOML ({' '.join(str(exc).split())}).") from None
    unknown = sorted(set(data) - {"jargon"})
    if unknown:
        raise TemplateError(target, f"unexpected table [{unknown[0]}]: only [[jargon]] entries are allowed.")
    table = data.get("jargon")
    if not isinstance(table, list) or not table:
        raise TemplateError(target, "there are no [[jargon]] entries.")
    entries: list[JargonEntry] = []
    for number, item in enumerate(table, start=1):
        terms, patterns, say = item.get("terms", []), item.get("patterns", []), item.get("say")
        if not isinstance(terms, list) or not isinstance(patterns, list) or not (terms or patterns):
            raise TemplateError(target, f"jargon entry {number} needs at least one term or pattern.")
        if not isinstance(say, str) or not say.strip():
            raise TemplateError(target, f"jargon entry {number} needs a 'say': what to write instead.")
        if not all(isinstance(t, str) and t.strip() for t in [*terms, *patterns]):
            raise TemplateError(target, f"jargon entry {number}: every term and pattern must be non-empty text.")
        parts = [_term_pattern(term) for term in terms]
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise TemplateError(target, f"jargon entry {number}: the pattern {pattern!r} is not valid ({exc}).") \
                    from None
            parts.append(f"(?i:{pattern})")
        entries.append(JargonEntry(re.compile("|".join(parts)), " ".join(say.split())))
    return Jargon(tuple(entries))


@functools.cache
def default_jargon() -> Jargon:
    """The shipped jargon list, read once."""
    return load_jargon(JARGON_PATH)


def find_jargon(text: str) -> list[JargonHit]:
    return default_jargon().find(text)


def jargon_warning(text: str) -> str:
    """One line naming each jargon term in `text` and what to say instead; empty when there is none."""
    hits = find_jargon(text)
    if not hits:
        return ""
    return "Jargon: " + "; ".join(f'"{hit.found}" (say: {hit.say})' for hit in hits) + "."
