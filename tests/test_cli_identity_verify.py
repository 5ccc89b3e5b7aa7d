"""`reviewday identity ...` and `reviewday verify ...` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli import main
from app.security.identities import IdentityStore
from tests.report.test_signing import make_signers, make_source_pdf, swap_last_page_content
from tests.security.test_identities import _make_org_pkcs12

PASSPHRASE = "correct horse battery"


@pytest.fixture
def identity_dir(tmp_path):
    return tmp_path / "identities"


@pytest.fixture
def run(identity_dir):
    def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {
            key: value for key, value in os.environ.items() if key not in ("REVIEWDAY_PASSPHRASE",)
        }
        environment.update({
            "QT_QPA_PLATFORM": "offscreen",
            "REVIEWDAY_IDENTITY_DIR": str(identity_dir),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            **env,
        })
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True, text=True, env=environment, timeout=120, stdin=subprocess.DEVNULL,
        )

    return run_cli


def _one_line_error(result: subprocess.CompletedProcess, code: int, fragment: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reviewday: ") and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_identity_create_then_list(run, identity_dir):
    created = run("identity", "create", "--name", "Dr Morgan Ellis", "--role", "Independent chair",
                  "--passphrase-env", "MY_PASSPHRASE", "--remember", MY_PASSPHRASE=PASSPHRASE)
    assert created.returncode == 0, created.stderr
    assert "Signing identity for Dr Morgan Ellis (Independent chair), self-signed." in created.stdout
    assert "No system keyring is available" in created.stdout  # the fail backend: nothing remembered
    [info] = IdentityStore(identity_dir).list()
    assert info.fingerprint_display in created.stdout

    second = run("identity", "create", "--name", "Sam Taylor", "--role", "Expert by experience",
                 REVIEWDAY_PASSPHRASE="another passphrase")
    assert second.returncode == 0, second.stderr

    listed = run("identity", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["role"], r["kind"]) for r in rows] == [
        ("Dr Morgan Ellis", "Independent chair", "self-signed"),
        ("Sam Taylor", "Expert by experience", "self-signed"),
    ]
    assert rows[0]["fingerprint"] == info.fingerprint
    table = run("identity", "list").stdout.splitlines()
    assert table[0].split()[:3] == ["NAME", "ROLE", "KIND"] and "Sam Taylor" in table[2]
    # Neither passphrase reached the disk.
    for path in identity_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSPHRASE.encode() not in data and b"another passphrase" not in data


def test_identity_list_when_there_are_none(run):
    result = run("identity", "list")
    assert result.returncode == 0 and result.stdout.startswith("No signing identities yet.")
    assert json.loads(run("identity", "list", "--json").stdout) == []


def test_identity_usage_errors_exit_2_with_one_line(run, identity_dir):
    _one_line_error(run("identity", "create", "--name", "Sam Taylor", "--role", "Chair"), 2,
                    "A passphrase is needed: use --passphrase-env VAR.")
    _one_line_error(run("identity", "create", "--name", "Sam Taylor", "--role", "Chair",
                        REVIEWDAY_PASSPHRASE="short"), 2, "at least 10 characters")
    _one_line_error(run("identity", "create", "--name", "Sam Taylor", "--role", "Chair",
                        "--passphrase-env", "UNSET_VARIABLE"), 2, "UNSET_VARIABLE is not set")
    _one_line_error(run("identity", "create", "--role", "Chair"), 2, "--name")
    _one_line_error(run("identity"), 2, "ACTION")
    assert not identity_dir.exists() or not any(identity_dir.iterdir())

    assert run("identity", "create", "--name", "Sam Taylor", "--role", "Chair",
               REVIEWDAY_PASSPHRASE=PASSPHRASE).returncode == 0
    _one_line_error(run("identity", "create", "--name", "sam taylor", "--role", "Chair",
                        REVIEWDAY_PASSPHRASE=PASSPHRASE), 2, "already a signing identity named Sam Taylor")


def test_identity_import_of_a_pkcs12_file(run, identity_dir, tmp_path):
    p12 = tmp_path / "priya.p12"
    _make_org_pkcs12(p12, b"it-dept-password")
    wrong = run("identity", "import", str(p12), "--role", "Chair", "--p12-password-env", "P12",
                "--passphrase-env", "PASS", P12="wrong", PASS=PASSPHRASE)
    _one_line_error(wrong, 2, "Wrong password for the certificate file priya.p12.")

    imported = run("identity", "import", str(p12), "--role", "Chair", "--p12-password-env", "P12",
                   "--passphrase-env", "PASS", P12="it-dept-password", PASS=PASSPHRASE)
    assert imported.returncode == 0, imported.stderr
    assert "Signing identity for Dr Priya Shah (Chair), imported." in imported.stdout
    [info] = IdentityStore(identity_dir).list()
    assert info.kind == "imported"
    _one_line_error(run("identity", "import", str(tmp_path / "nope.p12"), "--role", "Chair",
                        REVIEWDAY_PASSPHRASE=PASSPHRASE), 2, "No such file")


def test_verify_signed_tampered_and_missing_files(run, tmp_path):
    signers = make_signers(tmp_path / "signers")
    source = make_source_pdf(tmp_path / "report.pdf")
    signed = signers.sign(source, tmp_path / "signed.pdf")
    both = signers.sign(signed, tmp_path / "countersigned.pdf", box_index=1)

    result = run("verify", str(both))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Signature 1 (ChairSignature): Dr Morgan Ellis, Independent chair" in out
    assert "Signature 2 (Countersignature1): Sam Taylor, Expert by experience" in out
    assert "intact:   yes   valid: yes" in out and "covers the file: yes" in out
    assert "trusted:  no" in out and '"validity unknown"' in out and "OK: " in out
    assert result.stderr == ""

    trusted = run("verify", str(both), "--trust", str(signers.chair.certificate_path),
                  "--trust", str(signers.member.certificate_path), "--json")
    assert trusted.returncode == 0, trusted.stderr
    report = json.loads(trusted.stdout)
    assert report["ok"] and report["trusted"] and report["trust_note"] is None
    assert [s["signer"] for s in report["signatures"]] == ["Dr Morgan Ellis", "Sam Taylor"]
    assert all(s["trusted"] and s["intact"] and s["covers_whole_file"] for s in report["signatures"])

    swapped = tmp_path / "swapped.pdf"
    swapped.write_bytes(swap_last_page_content(signed.read_bytes()))
    rejected = run("verify", str(swapped))
    _one_line_error(rejected, 1, "the content was changed after signing")
    assert "NOT VALID: the content was changed after signing" in rejected.stdout

    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(signed.read_bytes()[:-300])
    _one_line_error(run("verify", str(truncated)), 1, "the file is truncated or is not a PDF")
    _one_line_error(run("verify", str(tmp_path / "missing.pdf")), 2, "No such file")


def test_verify_exit_codes_in_process(tmp_path, capsys):
    """The same command handler, without paying for a process start per case."""
    signers = make_signers(tmp_path / "signers")
    source = make_source_pdf(tmp_path / "report.pdf")
    signed = signers.sign(source, tmp_path / "signed.pdf")
    flipped = tmp_path / "flipped.pdf"
    data = bytearray(signed.read_bytes())
    data[500] ^= 0x01
    flipped.write_bytes(bytes(data))

    cases = [
        (["verify", str(flipped)], 1, "the file's bytes were changed after signing"),
        (["verify", str(source)], 1, "not signed"),
        (["verify", str(signed), "--trust", str(source)], 2, "is not a certificate file"),
        (["verify", str(signed), "--trust", str(tmp_path / "nope.pem")], 2, "No such certificate file"),
        (["verify", str(tmp_path)], 2, "is a folder"),
        (["verify"], 2, "FILE.pdf"),
    ]
    for args, code, fragment in cases:
        assert main(args) == code, args
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("reviewday: ") and fragment in err[0], (args, err)

    assert main(["verify", str(flipped), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["reason"] == "the file's bytes were changed after signing"
    assert report["signatures"][0]["intact"] is False
    assert main(["verify", str(signed), "--trust", str(signers.chair.certificate_path)]) == 0
    assert "trusted:  yes" in capsys.readouterr().out
