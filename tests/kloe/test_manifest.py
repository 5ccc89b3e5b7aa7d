"""The validation manifest: shipped templates skip the schema pass only while their bytes match."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from app.kloe import loader
from app.kloe.loader import MANIFEST_PATH, TEMPLATES_DIR, TemplateError, TemplateRegistry


def test_manifest_covers_every_shipped_template_byte_for_byte():
    """If this fails after editing a template: python -m app.kloe.loader --write-manifest"""
    data = json.loads(MANIFEST_PATH.read_text())
    assert data["schema_sha256"] == loader._schema_digest()
    expected = {p.name: loader._digest(p.read_bytes()) for p in TEMPLATES_DIR.glob("*.toml")}
    assert data["templates"] == expected


def test_shipped_templates_load_without_importing_jsonschema():
    import subprocess

    code = (
        "import sys; from app.kloe.loader import TemplateRegistry; TemplateRegistry(); "
        "print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_changed_file_is_validated_in_full_despite_the_manifest(tmp_path):
    for path in TEMPLATES_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "laep.v1.toml"
    target.write_text(target.read_text().replace("minutes = 15", 'minutes = "fifteen"', 1))
    with pytest.raises(TemplateError, match="laep.v1.toml: section\\[.\\].minutes"):
        TemplateRegistry(tmp_path)


def test_a_manifest_for_another_schema_is_ignored(tmp_path):
    for path in TEMPLATES_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    manifest = tmp_path / MANIFEST_PATH.name
    data = json.loads(manifest.read_text())
    data["schema_sha256"] = "0" * 64
    manifest.write_text(json.dumps(data))
    assert loader._validated_digests(tmp_path) == frozenset()
    assert len(TemplateRegistry(tmp_path)) == len(list(TEMPLATES_DIR.glob("*.toml")))
