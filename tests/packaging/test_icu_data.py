"""The bundle's trimmed ICU data: what it keeps, and that Qt behaves the same with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.support import load

icu_data = load("icu_data")
PROBE = Path(__file__).with_name("icu_probe.py")


@pytest.mark.parametrize(("item", "size", "kept"), [
    ("root.res", 100_000, True),
    ("pool.res", 160_000, True),
    ("en_GB.res", 2_000, True),
    ("cy.res", 30_000, True),
    ("fr.res", 40_000, False),
    ("sr_Latn_RS.res", 1_000, False),
    ("coll/en.res", 500, True),
    ("coll/de_.res", 300, False),  # a variant of a dropped locale
    ("coll/ucadata.icu", 200_000, True),  # the root collation every locale falls back to
    ("zone/en_GB.res", 5_000, True),
    ("zone/ja.res", 90_000, False),
    ("zone/tzdbNames.res", 8_000, True),
    ("unit/root.res", 1_000, True),
    ("translit/Latin_ASCII.res", 3_000, False),
    ("ibm-5348_P100-1997.cnv", 3_300, True),  # windows-1252
    ("euc-tw-2014.cnv", 545_632, False),
    ("brkitr/thaidict.dict", 300_000, True),  # brkitr/root.res names it: it stays
    ("nfkc.nrm", 60_000, True),
    ("supplementalData.res", 240_000, True),
])
def test_wanted_keeps_root_english_welsh_and_shared_tables(item, size, kept):
    assert icu_data.wanted(item, size) is kept


def _wheel_icu_data() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not found:
        pytest.skip("this PySide6 build carries no ICU data library (the trimming is for Linux bundles)")
    return found[0]


def _probe(library_dir: Path | None) -> dict:
    env = dict(os.environ)
    if library_dir is not None:  # searched before the wheel's own RUNPATH
        env["LD_LIBRARY_PATH"] = f"{library_dir}{os.pathsep}{env.get('LD_LIBRARY_PATH', '')}"
    done = subprocess.run([sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_qt_behaves_the_same_for_english_with_the_trimmed_data(tmp_path):
    source = _wheel_icu_data()
    result = icu_data.trim(source, tmp_path)

    assert result.library == tmp_path / source.name
    assert result.bytes_after < 10_000_000 < 30_000_000 < result.bytes_before
    assert 200 < result.items_after < result.items_before
    full, trimmed = _probe(None), _probe(tmp_path)
    assert full["icu"] == [str(source)]
    assert trimmed["icu"] == [str(result.library)]  # the trimmed library is the one Qt loaded
    for key in full.keys() - {"icu", "codecs"}:
        assert trimmed[key] == full[key], key
    assert trimmed["tz_standard"] == "Greenwich Mean Time"
    assert trimmed["upper_en_GB"].startswith("STRASSE")
    assert trimmed["windows_1252"] and trimmed["iso_8859_15"]
    assert 150 < trimmed["codecs"] < full["codecs"]  # the multi-byte East Asian and EBCDIC tables went


def test_a_library_without_icu_data_is_refused_with_a_reason(tmp_path):
    not_icu = Path(sys.executable).resolve()
    with pytest.raises(icu_data.IcuTrimError, match="not an ICU data library"):
        icu_data.trim(not_icu, tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
