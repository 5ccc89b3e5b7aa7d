"""The user guide, shipped inside the package (app/help/user-guide.md) so F1 works offline and installed.

docs/user-guide.md in the source tree only points here: there is one copy of the guide.
No Qt here; app/ui/help_window.py shows it.
"""

from __future__ import annotations

from importlib import resources

GUIDE_FILE = "user-guide.md"


def guide_text() -> str:
    """The guide's Markdown text, read from the installed package (or the source tree)."""
    return resources.files(__name__).joinpath(GUIDE_FILE).read_text(encoding="utf-8")


def guide_title() -> str:
    """The guide's first heading, without the leading '#'."""
    for line in guide_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return "ReviewDay user guide"
