"""R13, signed report tamper: every tampered file is rejected with a plain reason; untouched files pass."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.report.verify import (
    ADOBE_NOTE,
    BYTES_CHANGED,
    CONTENT_CHANGED,
    NOT_A_PDF,
    NOT_SIGNED,
    VerifyError,
    describe,
    verify_pdf,
    verify_pdf_bytes,
)
from tests.report.test_signing import make_signers, make_source_pdf, swap_last_page_content


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """One signed and one countersigned report, made once; tests copy them before changing anything."""
    folder = tmp_path_factory.mktemp("signed")
    signers = make_signers(folder / "identities")
    source = make_source_pdf(folder / "report.pdf")
    signed = signers.sign(source, folder / "signed.pdf")
    both = signers.sign(signed, folder / "countersigned.pdf", box_index=1, reason="Countersigned")
    other = signers.store.create("Alex Kim", "Clinical expert", "another passphrase")
    return {
        "source": source,
        "signed": signed,
        "countersigned": both,
        "chair_cert": signers.chair.certificate_path,
        "member_cert": signers.member.certificate_path,
        "other_cert": other.certificate_path,
    }


def _byte_ranges(data: bytes) -> list[tuple[int, int]]:
    """The signed (start, end) ranges of the first signature in the file."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(BytesIO(data)).embedded_signatures[0]
    a, b, c, d = (int(v) for v in embedded.byte_range)
    return [(a, a + b), (c, c + d)]


def _flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


# -- accepted ------------------------------------------------------------------------------------


def test_untouched_signed_file_passes_and_says_plainly_it_is_not_trusted(files):
    result = verify_pdf(files["signed"])
    assert result.ok and result.reason == "every signature is intact and nothing was changed after signing"
    [check] = result.signatures
    assert check.intact and check.valid and check.covers_whole_file and check.modification_level == "none"
    assert not check.trusted and not result.trusted
    assert 'validity unknown' in result.trust_note and "Adobe Reader" in result.trust_note
    text = "\n".join(describe(result, file_name="signed.pdf"))
    assert "Dr Morgan Ellis, Independent chair" in text
    assert "trusted:  no, a self-signed certificate" in text and ADOBE_NOTE in text
    assert text.splitlines()[-2].startswith("OK: ")


def test_countersigned_file_passes_with_two_signatures(files):
    result = verify_pdf(files["countersigned"])
    assert result.ok, result.reason
    assert [(c.signer, c.coverage) for c in result.signatures] == [
        ("Dr Morgan Ellis", "entire_revision"),
        ("Sam Taylor", "entire_file"),
    ]
    assert all(c.covers_whole_file and c.intact and c.valid for c in result.signatures)
    assert result.to_json()["signatures"][0]["modification_level"] == "form_filling"


# -- trust ---------------------------------------------------------------------------------------


def test_trusting_the_signers_certificates_makes_them_trusted(files, tmp_path):
    result = verify_pdf(files["countersigned"], trust=[files["chair_cert"], files["member_cert"]])
    assert result.ok and result.trusted and result.trust_note == ""
    assert all(c.trusted for c in result.signatures)

    only_chair = verify_pdf(files["countersigned"], trust=[files["chair_cert"]])
    assert only_chair.ok and [c.trusted for c in only_chair.signatures] == [True, False]
    assert "validity unknown" in only_chair.trust_note

    # DER works as well as PEM.
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = tmp_path / "chair.cer"
    der.write_bytes(x509.load_pem_x509_certificate(files["chair_cert"].read_bytes()).public_bytes(Encoding.DER))
    assert verify_pdf(files["signed"], trust=[der]).signatures[0].trusted


def test_trusting_another_certificate_leaves_it_untrusted_but_ok(files):
    result = verify_pdf(files["signed"], trust=[files["other_cert"]])
    assert result.ok and not result.trusted
    assert result.signatures[0].trusted is False


def test_a_certificate_from_an_organisation_ca_is_trusted_through_its_ca(tmp_path):
    from cryptography.hazmat.primitives.serialization import Encoding

    from app.report.signing import sign_pdf
    from app.security.identities import IdentityStore
    from tests.security.test_identities import _make_org_pkcs12

    p12 = tmp_path / "priya.p12"
    ca_cert, _ = _make_org_pkcs12(p12, b"pw")
    store = IdentityStore(tmp_path / "ids", kdf_iterations=20_000)
    info = store.import_pkcs12(p12, "pw", "correct horse battery", role="Chair")
    source = make_source_pdf(tmp_path / "report.pdf")
    sign_pdf(source, source, store.load_signer(info.name, "correct horse battery"), box_index=0,
             signer_name=info.name, role=info.role, reason="Sign-off")
    ca_file = tmp_path / "trust-ca.pem"
    ca_file.write_bytes(ca_cert.public_bytes(Encoding.PEM))

    untrusted = verify_pdf(source)
    assert untrusted.ok and not untrusted.trusted
    assert not untrusted.signatures[0].self_signed and "Test NHS Trust Signing CA" in untrusted.signatures[0].issuer
    trusted = verify_pdf(source, trust=[ca_file])
    assert trusted.ok and trusted.trusted  # digitalSignature-only key usage is accepted


def test_bad_trust_files_and_missing_pdfs_are_errors_not_results(files, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    for trust, message in ((junk, "junk.pem is not a certificate file"), (text, "notes.txt is not a certificate"),
                           (tmp_path / "nope.pem", "No such certificate file")):
        with pytest.raises(VerifyError, match=message):
            verify_pdf(files["signed"], trust=[trust])
    with pytest.raises(VerifyError, match="^No such file"):
        verify_pdf(tmp_path / "missing.pdf")
    with pytest.raises(VerifyError, match="is a folder"):
        verify_pdf(tmp_path)


def test_untrusted_self_signed_certificates_do_not_spill_pyhanko_errors(files, caplog):
    with caplog.at_level(logging.DEBUG):
        verify_pdf(files["countersigned"])
    noisy = [r for r in caplog.records if r.name.startswith("pyhanko") and r.levelno >= logging.WARNING]
    assert noisy == []
    assert logging.getLogger("pyhanko").level == logging.NOTSET  # restored afterwards


# -- rejected ------------------------------------------------------------------------------------


def test_a_flipped_byte_inside_the_signed_range_is_rejected(files):
    data = files["signed"].read_bytes()
    (start, end), _ = _byte_ranges(data)
    page_text = data.index(b"stream", 200)  # inside the first page's content stream
    assert start <= page_text + 20 < end
    result = verify_pdf_bytes(_flip(data, page_text + 20))
    assert not result.ok and result.reason == BYTES_CHANGED
    assert not result.signatures[0].intact


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.floats(min_value=0, max_value=1, allow_nan=False), bit=st.integers(min_value=0, max_value=7))
def test_no_single_bit_flip_in_the_signed_bytes_is_accepted(files, where, bit):
    data = files["countersigned"].read_bytes()
    ranges = _byte_ranges(data)  # the chair's signature covers the whole first revision
    span = sum(end - start for start, end in ranges)
    position = min(int(where * span), span - 1)
    first_length = ranges[0][1] - ranges[0][0]
    offset = ranges[0][0] + position if position < first_length else ranges[1][0] + position - first_length
    changed = bytearray(data)
    changed[offset] ^= 1 << bit
    result = verify_pdf_bytes(bytes(changed))
    assert not result.ok
    assert result.reason in (BYTES_CHANGED, NOT_A_PDF, CONTENT_CHANGED, NOT_SIGNED)


def test_a_changed_signature_value_is_rejected(files):
    data = files["signed"].read_bytes()
    contents = data.index(b"/Contents <") + len(b"/Contents <") + 200  # inside the CMS, not the padding
    digit = data[contents : contents + 1]
    changed = bytearray(data)
    changed[contents] = ord("1") if digit != b"1" else ord("2")
    result = verify_pdf_bytes(bytes(changed))
    assert not result.ok and result.reason == BYTES_CHANGED


def test_a_renamed_certificate_inside_the_signature_is_rejected(files):
    """The signer's name lives in the certificate embedded in /Contents, outside the signed bytes."""
    from asn1crypto import cms

    data = files["signed"].read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", start)
    der = cms.ContentInfo.load(bytes.fromhex(data[start:end].decode())).dump()
    subject = cms.ContentInfo.load(der)["content"]["certificates"][0].chosen["tbs_certificate"]["subject"].dump()
    at = der.index(subject, der.index(subject) + 1)  # the subject, not the identical issuer before it
    renamed = der[:at] + subject.replace(b"Dr Morgan Ellis", b"Dr Megan Ellisx") + der[at + len(subject):]
    hex_text = renamed.hex().encode()
    forged = data[:start] + hex_text + b"0" * (end - start - len(hex_text)) + data[end:]
    result = verify_pdf_bytes(forged)
    assert not result.ok and result.reason == BYTES_CHANGED
    assert "Dr Megan Ellisx" not in [c.signer for c in result.signatures]


def test_an_update_swapping_the_last_pages_content_is_rejected(files, tmp_path):
    for name in ("signed", "countersigned"):
        swapped = swap_last_page_content(files[name].read_bytes())
        result = verify_pdf_bytes(swapped)
        assert not result.ok
        assert result.reason == CONTENT_CHANGED == (
            "the content was changed after signing (an update after the signature alters pages)"
        )
        # The chair's signature on its own is still "intact": only the coverage check catches this.
        assert result.signatures[0].intact and result.signatures[0].valid
        assert not result.signatures[0].covers_whole_file and result.signatures[0].modification_level == "other"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_pdfsig_second_opinion_on_signed_and_content_swapped_files(files, tmp_path):
    signed = subprocess.run(["pdfsig", str(files["signed"])], capture_output=True, text=True, timeout=60).stdout
    assert "Signature #1" in signed and "ChairSignature" in signed and "Dr Morgan Ellis" in signed
    assert "Signature is Valid" in signed and "Total document signed" in signed

    swapped = tmp_path / "swapped.pdf"
    swapped.write_bytes(swap_last_page_content(files["signed"].read_bytes()))
    report = subprocess.run(["pdfsig", str(swapped)], capture_output=True, text=True, timeout=60).stdout
    # Poppler still calls it valid; only the missing "Total document signed" line gives it away.
    assert "Signature is Valid" in report and "Total document signed" not in report
    assert verify_pdf(swapped).reason == CONTENT_CHANGED


@pytest.mark.parametrize("name", ["signed", "countersigned"])
@pytest.mark.parametrize("keep", [0.999, 0.9, 0.5, 0.1])
def test_truncated_files_are_rejected(files, name, keep):
    data = files[name].read_bytes()
    result = verify_pdf_bytes(data[: int(len(data) * keep)])
    assert not result.ok and result.reason == NOT_A_PDF


def test_a_countersigned_file_cut_inside_the_countersignature_is_rejected(files):
    first = files["signed"].read_bytes()
    both = files["countersigned"].read_bytes()
    assert both.startswith(first)
    for cut in (len(first) + 50, len(first) + (len(both) - len(first)) // 2, len(both) - 7):
        result = verify_pdf_bytes(both[:cut])
        assert not result.ok and result.reason == NOT_A_PDF, cut


def test_bytes_added_after_the_end_are_rejected(files):
    result = verify_pdf_bytes(files["signed"].read_bytes() + b"Added later: the chair approved this.\n")
    assert not result.ok and result.reason == BYTES_CHANGED
    assert verify_pdf_bytes(files["signed"].read_bytes() + b"\r\n\n").ok  # trailing whitespace is fine


def test_unsigned_random_and_empty_files(files, tmp_path):
    assert verify_pdf(files["source"]).reason == NOT_SIGNED
    assert not verify_pdf(files["source"]).ok
    import random

    noise = random.Random(13).randbytes(20_000)
    assert verify_pdf_bytes(noise).reason == NOT_A_PDF
    assert verify_pdf_bytes(b"%PDF-1.7\n" + noise).reason == NOT_A_PDF
    assert verify_pdf_bytes(b"").reason == NOT_A_PDF
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = verify_pdf(empty)
    assert not result.ok and result.reason == NOT_A_PDF and result.signatures == ()
    assert describe(result)[-1] == "NOT VALID: the file is truncated or is not a PDF."
