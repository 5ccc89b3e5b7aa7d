"""Measuring a built bundle: totals, the largest items, the JSON report and the size guard."""

from __future__ import annotations

import json

from tests.packaging.support import load

bundle_size = load("bundle_size")
MB = 1024 * 1024


def _fake_bundle(tmp_path):
    bundle = tmp_path / "ReviewDay"
    (bundle / "_internal" / "PySide6" / "Qt").mkdir(parents=True)
    (bundle / "ReviewDay").write_bytes(b"\0" * MB)
    (bundle / "_internal" / "PySide6" / "Qt" / "libQt6Core.so.6").write_bytes(b"\0" * (3 * MB))
    (bundle / "_internal" / "libpython3.11.so").write_bytes(b"\0" * (2 * MB))
    (bundle / "_internal" / "libalias.so").symlink_to("libpython3.11.so")  # counted once
    return bundle


def test_measure_ranks_files_and_folders(tmp_path):
    report = bundle_size.measure(_fake_bundle(tmp_path))
    assert report["total_mb"] == 6.0
    assert report["files"] == 3
    assert report["under_target"] is True
    assert [item["path"] for item in report["largest_files"]] == [
        "_internal/PySide6/Qt/libQt6Core.so.6", "_internal/libpython3.11.so", "ReviewDay",
    ]
    assert report["largest_folders"][0] == {"path": "_internal/PySide6", "mb": 3.0}


def test_main_writes_json_and_prints_the_largest_items(tmp_path, capsys):
    out = tmp_path / "dist" / "bundle-size.json"
    code = bundle_size.main([str(_fake_bundle(tmp_path)), "--out", str(out), "--build-seconds", "40",
                             "--smoke-seconds", "9"])
    assert code == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["total_mb"] == 6.0 and report["build_seconds"] == 40 and report["smoke_seconds"] == 9
    printed = capsys.readouterr().out
    assert "Bundle size: 6.0 MB in 3 files (under the 150 MB target)" in printed
    assert "_internal/PySide6/Qt/libQt6Core.so.6" in printed


def test_main_fails_over_the_limit_with_one_line(tmp_path, capsys):
    code = bundle_size.main([str(_fake_bundle(tmp_path)), "--out", str(tmp_path / "s.json"), "--max-mb", "5"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["bundle_size: the bundle is 6.0 MB, over the 5 MB limit."]


def test_main_reports_a_missing_bundle_with_one_line(tmp_path, capsys):
    code = bundle_size.main([str(tmp_path / "nothing"), "--out", str(tmp_path / "s.json")])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"bundle_size: there is no bundle folder at {tmp_path / 'nothing'}."
    ]
    assert not (tmp_path / "s.json").exists()
