"""Load and check the KLOE templates: one TOML file per review type and version.

A template file is read as UTF-8, parsed with ``tomllib``, validated against
``schema.json`` (JSON Schema draft 2020-12), then given the checks a schema cannot
express (unique ids, known roles, the four headline questions, the file name).
Every problem with a file becomes one :class:`TemplateError` naming the file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from app.kloe.roles import ROLES_BY_ID

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
SCHEMA_PATH = PACKAGE_DIR / "schema.json"
# Digests of the shipped templates that passed schema validation (kept current by a test and by
# `python -m app.kloe.loader --write-manifest`). A file whose bytes match skips the JSON Schema
# pass at start-up (importing jsonschema costs about a quarter of a second); any other file,
# or any change to the schema, is validated in full. Semantic checks always run.
MANIFEST_PATH = TEMPLATES_DIR / "validated.json"

# The order review types are offered in; types not listed here follow, by id.
DISPLAY_ORDER: tuple[str, ...] = (
    "adult_community",
    "adult_inpatient",
    "post_admission",
    "post_discharge",
    "cyp_community",
    "cyp_inpatient",
    "icetr",
    "laep",
)
HEADLINE_IDS: tuple[str, ...] = ("safe", "good_care", "future_plan", "community")

_FILE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.toml$")
# How list-valued keys are named in error paths: sections[2] reads as "section[2]".
_ITEM_NAMES = {
    "sections": "section",
    "prompts": "prompt",
    "headline_questions": "headline_question",
    "panel_roles": "panel_role",
    "documents": "document",
}
_MAX_MESSAGE = 240


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    title: str
    summary: str
    lead_role: str
    minutes: int
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class HeadlineQuestion:
    id: str
    number: int
    text: str


@dataclass(frozen=True)
class Cadence:
    """How often the review repeats, in months; None means no fixed repeat.

    `secure_months` and `child_months` override `months` for a secure setting or a child or
    young person. `admission_weeks` (children: `child_admission_weeks`) says when a review of
    this type is itself due after admission (the post-admission review).
    """

    months: int | None
    secure_months: int | None
    note: str
    child_months: int | None = None
    admission_weeks: int | None = None
    child_admission_weeks: int | None = None
    # Working days (weekends and England and Wales bank holidays skipped); win over the weeks.
    admission_working_days: int | None = None
    child_admission_working_days: int | None = None

    def months_for(self, secure: bool, child: bool = False) -> int | None:
        if child and self.child_months is not None:
            return self.child_months
        if secure and self.secure_months is not None:
            return self.secure_months
        return self.months

    def admission_weeks_for(self, child: bool) -> int | None:
        if child and self.child_admission_weeks is not None:
            return self.child_admission_weeks
        return self.admission_weeks

    def admission_working_days_for(self, child: bool) -> int | None:
        if child and self.child_admission_working_days is not None:
            return self.child_admission_working_days
        return self.admission_working_days


# What the report says about following up the actions when a template does not say (older files).
DEFAULT_FOLLOW_UP_TEXT = (
    "Each owner reports progress to the responsible commissioner, who follows the actions up."
)


@dataclass(frozen=True)
class FollowUp:
    """Who follows up the actions after the review (a role id), and the report's sentence saying so."""

    owner_role: str = "chair"
    text: str = DEFAULT_FOLLOW_UP_TEXT


@dataclass(frozen=True)
class PlanningDocument:
    """A document the panel asks for before the review day (the planning checklist)."""

    id: str
    title: str


# The checklist for a template that does not give its own (older files).
DEFAULT_DOCUMENTS: tuple[PlanningDocument, ...] = (
    PlanningDocument("care_plan", "Care plan"),
    PlanningDocument("pbs_plan", "Positive behaviour support plan"),
    PlanningDocument("medication_chart", "Medication chart"),
    PlanningDocument("risk_assessment", "Risk assessment"),
    PlanningDocument("previous_report", "Previous C(E)TR report and action plan"),
)


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    short_title: str
    description: str
    setting: str
    age_group: str
    independent: bool
    panel_roles: tuple[str, ...]
    headline_questions: tuple[HeadlineQuestion, ...]
    sections: tuple[Section, ...]
    cadence: Cadence
    follow_up: FollowUp = FollowUp()
    documents: tuple[PlanningDocument, ...] = DEFAULT_DOCUMENTS

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise _LookupError(f"Template '{self.id}' v{self.version} has no section '{section_id}'.")

    @property
    def total_minutes(self) -> int:
        return sum(section.minutes for section in self.sections)


class TemplateError(ValueError):
    """A template file that cannot be used; ``str(err)`` is ``"<file name>: <problem>"``."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")


class _LookupError(KeyError):
    """A KeyError whose str() is the plain message (KeyError would quote it)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------- loading


@functools.cache
def _validator() -> Any:
    """The schema validator, built once; jsonschema is imported on first use only."""
    from jsonschema import Draft202012Validator, validators

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    schema = _inline_refs(schema, schema.get("$defs", {}))
    # JSON Schema calls 1.0 an integer; a template's minutes or version must be a real int.
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict = validators.extend(Draft202012Validator, type_checker=checker)
    return strict(schema)


def _inline_refs(node: Any, defs: Mapping[str, Any]) -> Any:
    """Replace local ``{"$ref": "#/$defs/x", ...}`` with the definition merged in.

    Same meaning for this schema (no recursion, no dynamic refs), and validation runs
    about twice as fast without ``referencing`` look-ups for every prompt.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref.count("/") == 2:
            merged = dict(_inline_refs(defs[ref.rsplit("/", 1)[1]], defs))
            merged.update({k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"})
            return merged
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def _location(path: Iterable[Any]) -> str:
    """A schema error path as a reader would write it: ["sections", 2, "minutes"] -> "section[2].minutes"."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int) and parts:
            parts[-1] = f"{_ITEM_NAMES.get(parts[-1], parts[-1])}[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts)


def _shorten(message: str, instance: Any) -> str:
    """Keep a schema message readable: abbreviate the echoed value, keep what is wrong with it."""
    echoed = repr(instance)
    if len(echoed) > 60 and message.startswith(echoed):
        message = echoed[:50] + "..." + echoed[-6:] + message[len(echoed):]
    if len(message) > _MAX_MESSAGE:
        head = _MAX_MESSAGE * 2 // 3
        message = message[:head] + " ... " + message[-(_MAX_MESSAGE - head - 5):]
    return message


def _read(path: Path) -> dict[str, Any]:
    return _parse(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TemplateError(path, f"cannot read the file ({exc.strerror or exc})") from None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@functools.cache
def _schema_digest() -> str:
    return _digest(SCHEMA_PATH.read_bytes())


def _validated_digests(directory: Path) -> frozenset[str]:
    """Digests recorded as valid against the current schema, for this directory's manifest."""
    manifest = directory / MANIFEST_PATH.name
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    if not isinstance(data, dict) or data.get("schema_sha256") != _schema_digest():
        return frozenset()
    digests = data.get("templates", {})
    return frozenset(v for v in digests.values() if isinstance(v, str)) if isinstance(digests, dict) else frozenset()


def write_manifest(directory: Path = TEMPLATES_DIR) -> Path:
    """Validate every template in full and record their digests."""
    entries = {}
    for path in sorted(directory.glob("*.toml")):
        load_template(path)
        entries[path.name] = _digest(path.read_bytes())
    manifest = directory / MANIFEST_PATH.name
    manifest.write_text(
        json.dumps({"schema_sha256": _schema_digest(), "templates": entries}, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start})"
        ) from None
    if not text.strip():
        raise TemplateError(path, "the file is empty")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(path, f"TOML syntax error: {exc}") from None
    except (ValueError, RecursionError) as exc:  # defensive: odd input tomllib does not wrap
        raise TemplateError(path, f"TOML syntax error: {type(exc).__name__}: {exc}") from None


def _validate_schema(path: Path, data: Mapping[str, Any]) -> None:
    from jsonschema.exceptions import best_match

    try:
        error = best_match(_validator().iter_errors(data))
    except RecursionError:
        raise TemplateError(path, "the file is nested too deeply") from None
    if error is not None:
        where = _location(error.absolute_path)
        message = _shorten(error.message, error.instance)
        raise TemplateError(path, f"{where}: {message}" if where else message)


def _check_semantics(path: Path, data: Mapping[str, Any]) -> None:
    def fail(where: str, problem: str) -> NoReturn:
        raise TemplateError(path, f"{where}: {problem}")

    panel_roles = data["panel_roles"]
    for index, role_id in enumerate(panel_roles):
        role = ROLES_BY_ID.get(role_id)
        if role is None:
            fail(f"panel_role[{index}]", f"unknown role '{role_id}'")
        elif not role.panel:
            fail(f"panel_role[{index}]", f"'{role_id}' is not a panel role")

    seen_headlines: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    for index, question in enumerate(data["headline_questions"]):
        where = f"headline_question[{index}]"
        if question["id"] in seen_headlines:
            fail(f"{where}.id", f"duplicate headline question '{question['id']}' "
                                f"(also headline_question[{seen_headlines[question['id']]}])")
        if question["number"] in seen_numbers:
            fail(f"{where}.number", f"duplicate headline number {question['number']} "
                                    f"(also headline_question[{seen_numbers[question['number']]}])")
        seen_headlines[question["id"]] = index
        seen_numbers[question["number"]] = index
    missing = [hid for hid in HEADLINE_IDS if hid not in seen_headlines]
    if missing:  # unreachable with exactly 4 unique known ids, but cheap and explicit
        raise TemplateError(path, f"headline_questions: missing {', '.join(missing)}")

    follow_up = data.get("follow_up")
    if follow_up is not None and follow_up["owner_role"] not in ROLES_BY_ID:
        fail("follow_up.owner_role", f"unknown role '{follow_up['owner_role']}'")

    document_ids: dict[str, int] = {}
    for index, document in enumerate(data.get("documents", ())):
        if document["id"] in document_ids:
            fail(f"document[{index}].id", f"duplicate document id '{document['id']}' "
                                          f"(also document[{document_ids[document['id']]}])")
        document_ids[document["id"]] = index

    section_ids: dict[str, int] = {}
    section_numbers: dict[int, int] = {}
    for index, section in enumerate(data["sections"]):
        where = f"section[{index}]"
        if section["id"] in section_ids:
            fail(f"{where}.id", f"duplicate section id '{section['id']}' (also section[{section_ids[section['id']]}])")
        if section["number"] in section_numbers:
            fail(f"{where}.number", f"duplicate section number {section['number']} "
                                    f"(also section[{section_numbers[section['number']]}])")
        section_ids[section["id"]] = index
        section_numbers[section["number"]] = index
        lead = section["lead"]
        if lead not in ROLES_BY_ID:
            fail(f"{where}.lead", f"unknown role '{lead}'")
        if lead not in panel_roles:
            fail(f"{where}.lead", f"'{lead}' is not one of this template's panel_roles")
        prompt_ids: dict[str, int] = {}
        for prompt_index, prompt in enumerate(section["prompts"]):
            if prompt["id"] in prompt_ids:
                fail(f"{where}.prompt[{prompt_index}].id",
                     f"duplicate prompt id '{prompt['id']}' (also prompt[{prompt_ids[prompt['id']]}])")
            prompt_ids[prompt["id"]] = prompt_index

    expected_name = f"{data['id']}.v{data['version']}.toml"
    if path.name != expected_name:
        raise TemplateError(
            path,
            f"file name must be '{expected_name}' for id '{data['id']}' version {data['version']}",
        )


def _build(data: Mapping[str, Any]) -> Template:
    cadence = data["cadence"]
    sections = sorted(data["sections"], key=lambda s: s["number"])
    questions = sorted(data["headline_questions"], key=lambda q: q["number"])
    return Template(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        short_title=data["short_title"],
        description=data["description"],
        setting=data["setting"],
        age_group=data["age_group"],
        independent=data["independent"],
        panel_roles=tuple(data["panel_roles"]),
        headline_questions=tuple(HeadlineQuestion(q["id"], q["number"], q["text"]) for q in questions),
        sections=tuple(
            Section(
                id=s["id"],
                number=s["number"],
                title=s["title"],
                summary=s["summary"],
                lead_role=s["lead"],
                minutes=s["minutes"],
                prompts=tuple(Prompt(p["id"], p["text"]) for p in s["prompts"]),
            )
            for s in sections
        ),
        cadence=Cadence(
            months=cadence.get("months"),
            secure_months=cadence.get("secure_months"),
            note=cadence["note"],
            child_months=cadence.get("child_months"),
            admission_weeks=cadence.get("admission_weeks"),
            child_admission_weeks=cadence.get("child_admission_weeks"),
            admission_working_days=cadence.get("admission_working_days"),
            child_admission_working_days=cadence.get("child_admission_working_days"),
        ),
        follow_up=FollowUp(**data["follow_up"]) if "follow_up" in data else FollowUp(),
        documents=(tuple(PlanningDocument(d["id"], d["title"]) for d in data["documents"])
                   if "documents" in data else DEFAULT_DOCUMENTS),
    )


def load_template(path: Path, *, validated: frozenset[str] = frozenset()) -> Template:
    """Read, validate and build one template; any problem raises :class:`TemplateError`.

    `validated` holds digests already known to pass the schema (see MANIFEST_PATH).
    """
    path = Path(path)
    raw = _read_bytes(path)
    data = _parse(path, raw)
    if _digest(raw) not in validated:
        _validate_schema(path, data)
    _check_semantics(path, data)
    return _build(data)


# --------------------------------------------------------------------------- registry


def _display_key(template: Template) -> tuple[int, str, int]:
    try:
        rank = DISPLAY_ORDER.index(template.id)
    except ValueError:
        rank = len(DISPLAY_ORDER)
    return rank, template.id, template.version


class TemplateRegistry:
    """Every template version in one directory, loaded eagerly and checked up front."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else TEMPLATES_DIR
        self._templates: dict[tuple[str, int], Template] = {}
        self._paths: dict[tuple[str, int], Path] = {}
        if not self.directory.is_dir():
            raise TemplateError(self.directory, "template folder not found")
        validated = _validated_digests(self.directory)
        for path in sorted(self.directory.glob("*.toml")):
            self._add(load_template(path, validated=validated), path)

    def _add(self, template: Template, path: Path) -> None:
        key = (template.id, template.version)
        if key in self._templates:
            raise TemplateError(
                path,
                f"duplicate template '{template.id}' version {template.version} "
                f"(also in {self._paths[key].name})",
            )
        self._templates[key] = template
        self._paths[key] = path

    @classmethod
    @functools.cache
    def default(cls) -> TemplateRegistry:
        """The shipped templates, loaded once per process."""
        return cls()

    def get(self, template_id: str, version: int) -> Template:
        try:
            return self._templates[(template_id, version)]
        except KeyError:
            versions = sorted(v for (tid, v) in self._templates if tid == template_id)
            if versions:
                known = ", ".join(f"v{v}" for v in versions)
                message = f"Template '{template_id}' has no version {version} (known: {known})."
            else:
                message = f"Unknown template '{template_id}'."
            raise _LookupError(message) from None

    def latest(self, template_id: str) -> Template:
        versions = [v for (tid, v) in self._templates if tid == template_id]
        if not versions:
            known = ", ".join(sorted({tid for tid, _ in self._templates})) or "none"
            raise _LookupError(f"Unknown template '{template_id}' (known: {known}).")
        return self._templates[(template_id, max(versions))]

    def latest_all(self) -> list[Template]:
        """The newest version of each review type, in display order."""
        ids = {tid for tid, _ in self._templates}
        return sorted((self.latest(tid) for tid in ids), key=_display_key)

    def all(self) -> list[Template]:
        """Every version of every type, in display order then version."""
        return sorted(self._templates.values(), key=_display_key)

    def __len__(self) -> int:
        return len(self._templates)

    def __contains__(self, key: object) -> bool:
        return key in self._templates


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--write-manifest"]:
        print(f"wrote {write_manifest()}")
    else:
        print("usage: python -m app.kloe.loader --write-manifest", file=sys.stderr)
        sys.exit(2)
