"""The per-user Linux install: program, command, menu entry and icons under the home folder."""

from __future__ import annotations

import os
import subprocess

from tests.packaging.support import PACKAGING

SCRIPT = PACKAGING / "install-linux.sh"


def _run(home, *args):
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True)


def _fake_bundle(tmp_path):
    bundle = tmp_path / "dist" / "ReviewDay"
    (bundle / "_internal").mkdir(parents=True, exist_ok=True)
    exe = bundle / "ReviewDay"
    exe.write_text("#!/bin/sh\necho reviewday 0.1.0\n")
    exe.chmod(0o755)
    return bundle


def test_install_then_uninstall_for_the_current_user(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _run(home, str(_fake_bundle(tmp_path)))
    assert result.returncode == 0, result.stderr
    command = home / ".local/bin/reviewday"
    assert subprocess.run([str(command)], capture_output=True, text=True).stdout == "reviewday 0.1.0\n"
    share = home / ".local/share"
    assert (share / "applications/reviewday.desktop").is_file()
    assert (share / "icons/hicolor/256x256/apps/reviewday.png").is_file()
    assert (share / "icons/hicolor/scalable/apps/reviewday.svg").is_file()

    again = _run(home, str(_fake_bundle(tmp_path)))  # reinstalling replaces the previous copy
    assert again.returncode == 0, again.stderr

    removed = _run(home, "--uninstall")
    assert removed.returncode == 0
    assert not command.exists() and not (home / ".local/opt/ReviewDay").exists()
    assert not (share / "applications/reviewday.desktop").exists()


def test_install_without_a_bundle_says_so_in_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = _run(home, str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"install-linux.sh: there is no built bundle at {tmp_path / 'missing'} (run packaging/build.sh)."
    ]
    assert not (home / ".local").exists()
