"""Every user-visible string in the UI goes through tr(), so the app can be translated.

Walks the source of app/ui with `ast`: a string literal (or an f-string with words in it) handed
straight to a Qt text setter or a widget's constructor is a string a translator would never see.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "app" / "ui"

# Qt calls whose string arguments are shown to the user.
TEXT_METHODS = {
    "setText", "setPlaceholderText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle",
    "setTitle", "addTab", "insertTab", "setTabText", "setAccessibleName", "setAccessibleDescription",
    "addMenu", "setLabelText", "setInformativeText", "setDetailedText", "showMessage", "addItem",
    "information", "warning", "critical", "question", "about", "getText", "getOpenFileName",
    "getSaveFileName", "getExistingDirectory",
}
TEXT_CONSTRUCTORS = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton"}
WORDS = re.compile(r"[A-Za-z]{2,}")
MARKUP = re.compile(r"<[^>]*>")
# Not translated: the product's name, and input masks made of placeholder letters.
UNTRANSLATED = re.compile(r"^(ReviewDay|[X-]+)$")
LOGGERS = {"log", "logger", "logging"}


def _words(text: str) -> bool:
    text = MARKUP.sub(" ", text).strip()
    return not UNTRANSLATED.match(text) and bool(WORDS.search(text))


def _shows_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        literal = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        return _words(literal.replace("{}", " "))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _shows_words(node.left) or _shows_words(node.right)
    return False


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def untranslated(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        owner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(owner, ast.Name) and owner.id in LOGGERS:
            continue
        if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
            continue
        for arg in node.args:
            if _shows_words(arg):
                found.append(f"{filename}:{node.lineno}: {name}({ast.unparse(arg)[:60]})")
    return found


def test_user_visible_strings_go_through_tr():
    problems = []
    for path in sorted(UI.glob("*.py")):
        problems += untranslated(path.read_text(encoding="utf-8"), path.name)
    assert not problems, "Strings shown to the user without tr():\n" + "\n".join(problems)


def test_the_check_finds_a_bare_string():
    sample = (
        'label = QLabel("Consent")\n'
        'box.setText(f"Saved {n} notes")\n'
        'ok = QLabel(self.tr("Fine"))\n'
        'log.warning("not shown to anyone")\n'
        'title.setText(f"<b>{name}</b>")\n'
    )
    assert [line.split(":")[1] for line in untranslated(sample, "sample.py")] == ["1", "2"]
