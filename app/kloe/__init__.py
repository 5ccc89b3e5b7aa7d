"""KLOE templates: the review types, their sections, prompts and headline questions, as data.

No Qt here: the templates are plain TOML files checked against ``schema.json``.
"""

from app.kloe.loader import (
    Cadence,
    FollowUp,
    HeadlineQuestion,
    Prompt,
    Section,
    Template,
    TemplateError,
    TemplateRegistry,
    load_template,
)

__all__ = [
    "Cadence",
    "FollowUp",
    "HeadlineQuestion",
    "PlanningDocument",
    "Prompt",
    "Section",
    "Template",
    "TemplateError",
    "TemplateRegistry",
    "load_template",
]
