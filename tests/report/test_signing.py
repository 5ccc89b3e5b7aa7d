"""Signing report PDFs: real keys, real PDFs, real PAdES signatures, checked by our verifier and poppler."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.report.layout import PAGE_SIZE, SIGNATURE_BOXES, SIGNATURE_FIELD_NAMES
from app.report.signing import SigningError, render_stamp_pdf, sign_pdf
from app.report.verify import BYTES_CHANGED, verify_pdf
from app.security.identities import IdentityStore
from app.services.errors import ReviewDayError, StorageError

PASSPHRASE = "correct horse battery"
STAMP_FILL_RGB = (0xEE, 0xF4, 0xFB)


# -- helpers shared with test_verify.py and test_cli_identity_verify.py ---------------------------


def make_source_pdf(path: Path, *, pages: int = 2, marker: str = "Original text") -> Path:
    """An A4 report-like PDF made with reportlab, with the signature boxes drawn on the last page."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=PAGE_SIZE)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 760, f"{marker}: page {number} of {pages}")
        if number == pages:
            canvas.drawString(72, 400, "Sign-off")
            for x1, y1, x2, y2 in SIGNATURE_BOXES:
                canvas.rect(x1, y1, x2 - x1, y2 - y1)
        canvas.showPage()
    canvas.save()
    return path


@dataclass
class Signers:
    store: IdentityStore
    chair: object  # IdentityInfo
    chair_signer: object
    member: object
    member_signer: object

    def sign(self, src: Path, out: Path, box_index: int = 0, **extra) -> Path:
        info, signer = (self.chair, self.chair_signer) if box_index == 0 else (self.member, self.member_signer)
        sign_pdf(src, out, signer, box_index=box_index, signer_name=info.name, role=info.role,
                 reason=extra.pop("reason", "Sign-off of the review report"), **extra)
        return out


def make_signers(folder: Path) -> Signers:
    store = IdentityStore(folder, kdf_iterations=20_000)
    chair = store.create("Dr Morgan Ellis", "Independent chair", PASSPHRASE)
    member = store.create("Sam Taylor", "Expert by experience", PASSPHRASE)
    return Signers(store, chair, store.load_signer(chair.name, PASSPHRASE), member,
                   store.load_signer(member.name, PASSPHRASE))


def swap_last_page_content(signed: bytes, text: str = "Changed after signing") -> bytes:
    """An incremental update that replaces the last page's /Contents: the classic shadow attack."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][-1].get_object()
    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
    })
    page["/Resources"] = generic.DictionaryObject({
        generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FX"): writer.add_object(font)})
    })
    stream = generic.StreamObject(stream_data=f"BT /FX 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_widgets(path: Path) -> dict[str, tuple[int, tuple[float, ...]]]:
    """field name -> (page index, /Rect) for every signature field in the file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    with path.open("rb") as stream:
        reader = PdfFileReader(stream)
        pages = [reader.find_page_for_modification(i)[0].idnum for i in range(int(reader.root["/Pages"]["/Count"]))]
        found = {}
        for name, _value, field_ref in enumerate_sig_fields(reader):
            field = field_ref.get_object()
            page_index = pages.index(field.raw_get("/P").idnum)
            found[name] = (page_index, tuple(float(v) for v in field["/Rect"]))
        return found


def render_ppm(path: Path, page: int, dpi: int = 36) -> tuple[int, int, bytes]:
    """A page rendered by poppler as raw RGB (PPM), so we can look at pixels without an image library."""
    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        capture_output=True, check=True, timeout=60,
    ).stdout
    parts = out.split(maxsplit=4)  # P6, width, height, maxval, pixels
    assert parts[0] == b"P6"
    return int(parts[1]), int(parts[2]), parts[4]


def pixel(image: tuple[int, int, bytes], x_pt: float, y_pt: float, dpi: int = 36) -> tuple[int, int, int]:
    width, height, data = image
    col = int(x_pt * dpi / 72)
    row = height - 1 - int(y_pt * dpi / 72)
    offset = (row * width + col) * 3
    return tuple(data[offset : offset + 3])


needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signers(tmp_path_factory) -> Signers:
    return make_signers(tmp_path_factory.mktemp("identities"))


@pytest.fixture
def source(tmp_path) -> Path:
    return make_source_pdf(tmp_path / "report.pdf")


# -- tests ---------------------------------------------------------------------------------------


def test_signed_report_verifies_and_the_signature_is_pades_on_the_last_page(signers, source, tmp_path):
    signed = signers.sign(source, tmp_path / "signed.pdf", reason="Chair's sign-off", location="Riverside Hospital")

    result = verify_pdf(signed)
    assert result.ok, result.reason
    [check] = result.signatures
    assert (check.field, check.signer, check.role) == ("ChairSignature", "Dr Morgan Ellis", "Independent chair")
    assert check.intact and check.valid and check.covers_whole_file and check.coverage == "entire_file"
    assert check.fingerprint == signers.chair.fingerprint
    assert (check.reason, check.location) == ("Chair's sign-off", "Riverside Hospital")

    page, rect = signature_widgets(signed)["ChairSignature"]
    assert page == 1  # the last of two pages
    assert rect == pytest.approx(SIGNATURE_BOXES[0], abs=0.01)

    from pyhanko.pdf_utils.reader import PdfFileReader

    with signed.open("rb") as stream:
        [embedded] = PdfFileReader(stream).embedded_signatures
        sig = embedded.sig_object
        assert sig["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
        assert sig["/Name"] == "Dr Morgan Ellis"
        signed_attrs = embedded.signer_info["signed_attrs"].native
        assert not embedded.signer_info["unsigned_attrs"].native  # B-B: no timestamp token offline
        assert "signing_certificate_v2" in {a["type"] for a in signed_attrs}


def test_the_stamp_time_is_the_signature_time(signers, source, tmp_path):
    when = datetime(2026, 11, 20, 16, 45, 12, tzinfo=timezone(timedelta(hours=0), "GMT"))
    signed = signers.sign(source, tmp_path / "signed.pdf", when=when)
    [check] = verify_pdf(signed).signatures
    assert check.signed_at == when


@needs_poppler
def test_the_visible_stamp_sits_in_the_chair_box_on_the_last_page(signers, source, tmp_path):
    signed = signers.sign(source, tmp_path / "signed.pdf")
    last = render_ppm(signed, page=2)
    x1, y1, x2, y2 = SIGNATURE_BOXES[0]
    inside = pixel(last, x1 + (x2 - x1) * 0.8, y1 + 6)  # a blank corner of the stamp: its fill colour
    assert all(abs(a - b) <= 6 for a, b in zip(inside, STAMP_FILL_RGB)), inside
    ox1, oy1, ox2, oy2 = SIGNATURE_BOXES[1]
    assert pixel(last, ox1 + (ox2 - ox1) * 0.8, oy1 + 6) == (255, 255, 255)  # the other box is still empty
    first = render_ppm(signed, page=1)
    assert pixel(first, x1 + (x2 - x1) * 0.8, y1 + 6) == (255, 255, 255)  # nothing on page 1


@needs_poppler
def test_stamp_names_signer_role_and_time_and_fits_long_names():
    when = datetime(2026, 11, 20, 16, 45, tzinfo=timezone.utc)
    short = render_stamp_pdf(SIGNATURE_BOXES[0], signer_name="Si\u00e2n \u0141ukasz", role="Independent chair",
                             when=when, fingerprint="ab" * 32)
    text = _pdftotext(short)
    assert "Digitally signed by" in text and "Si\u00e2n \u0141ukasz" in text and "Independent chair" in text
    assert "20 November 2026, 16:45 UTC" in text and "AB:AB:AB" in text
    fonts = subprocess.run(["pdffonts", "-"], input=short, capture_output=True).stdout.decode()
    assert "LiberationSans" in fonts and " yes " in fonts  # embedded

    long_name = "Professor Bartholomew Alexander Featherstonehaugh-Montgomery-Smythe"
    long = render_stamp_pdf(SIGNATURE_BOXES[0], signer_name=long_name, role="Clinical expert",
                            when=when, fingerprint="ab" * 32)
    text = _pdftotext(long, bbox=True)
    assert "\u2026" in text  # cut with an ellipsis rather than running out of the box
    width = SIGNATURE_BOXES[0][2] - SIGNATURE_BOXES[0][0]
    for line in text.splitlines():
        if "<word" in line:
            x_max = float(line.split('xMax="')[1].split('"')[0])
            assert x_max <= width - 4, line


def _pdftotext(pdf: bytes, bbox: bool = False) -> str:
    args = ["pdftotext", *(["-bbox"] if bbox else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def test_countersignature_is_an_incremental_update_that_keeps_the_first_valid(signers, source, tmp_path):
    first = signers.sign(source, tmp_path / "signed.pdf")
    first_bytes = first.read_bytes()
    both = signers.sign(first, tmp_path / "countersigned.pdf", box_index=1, reason="Countersigned")

    assert both.read_bytes().startswith(first_bytes)  # appended, not rewritten
    result = verify_pdf(both)
    assert result.ok, result.reason
    chair, member = result.signatures
    assert (chair.field, member.field) == ("ChairSignature", "Countersignature1")
    assert chair.coverage == "entire_revision" and chair.modification_level == "form_filling"
    assert chair.covers_whole_file and member.coverage == "entire_file"
    assert member.signer == "Sam Taylor" and member.role == "Expert by experience"
    widgets = signature_widgets(both)
    assert widgets["Countersignature1"][0] == 1
    assert widgets["Countersignature1"][1] == pytest.approx(SIGNATURE_BOXES[1], abs=0.01)


def test_all_four_boxes_can_be_signed_in_place(signers, source):
    for box in range(len(SIGNATURE_FIELD_NAMES)):
        signers.sign(source, source, box_index=box)  # the same file in and out
    result = verify_pdf(source)
    assert result.ok, result.reason
    assert [c.field for c in result.signatures] == list(SIGNATURE_FIELD_NAMES)
    assert not list(source.parent.glob("*.part"))


def test_a_box_cannot_be_signed_twice_and_the_file_is_left_alone(signers, source, tmp_path):
    signed = signers.sign(source, tmp_path / "signed.pdf")
    before = signed.read_bytes()
    with pytest.raises(SigningError, match=r"^This report already has a signature in the chair's box\.$"):
        signers.sign(signed, signed, box_index=0)
    assert signed.read_bytes() == before
    with pytest.raises(ValueError):
        signers.sign(signed, signed, box_index=4)


def test_a_tampered_report_cannot_be_countersigned(signers, source, tmp_path):
    signed = signers.sign(source, tmp_path / "signed.pdf")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(swap_last_page_content(signed.read_bytes()))
    before = tampered.read_bytes()
    with pytest.raises(SigningError, match="cannot be countersigned: the content was changed after signing"):
        signers.sign(tampered, tampered, box_index=1)
    assert tampered.read_bytes() == before

    flipped = bytearray(signed.read_bytes())
    flipped[400] ^= 0x01
    tampered.write_bytes(bytes(flipped))
    with pytest.raises(SigningError, match=f"cannot be countersigned: {BYTES_CHANGED}"):
        signers.sign(tampered, tampered, box_index=1)


def test_unreadable_sources_and_unwritable_targets_are_plain_errors(signers, source, tmp_path):
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_bytes(b"just some text\n" * 50)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(source.read_bytes()[: 300])
    cases = [
        (tmp_path / "missing.pdf", tmp_path / "out.pdf", "^No such file"),
        (tmp_path, tmp_path / "out.pdf", "is a folder"),
        (not_pdf, tmp_path / "out.pdf", "is not a PDF"),
        (broken, tmp_path / "out.pdf", "damaged or not a PDF"),
        (source, tmp_path / "no-such-folder" / "out.pdf", "does not exist"),
    ]
    for src, out, message in cases:
        with pytest.raises(ReviewDayError, match=message):
            signers.sign(src, out)
    assert not (tmp_path / "out.pdf").exists()


def test_a_failed_write_leaves_the_previous_output_intact(signers, source, tmp_path, monkeypatch):
    out = signers.sign(source, tmp_path / "signed.pdf")
    before = out.read_bytes()

    import app.report.atomic as atomic

    def full_disk(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(StorageError, match="the disk is full"):
        signers.sign(source, out)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_pdfsig_agrees_the_countersigned_file_is_wholly_signed(signers, source, tmp_path):
    signed = signers.sign(source, tmp_path / "signed.pdf")
    both = signers.sign(signed, tmp_path / "both.pdf", box_index=1)
    report = subprocess.run(["pdfsig", str(both)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature #1" in report and "Signature #2" in report
    assert "ChairSignature" in report and "Countersignature1" in report
    assert report.count("Signature is Valid") == 2
    assert "Total document signed" in report  # the last signature covers the whole file
    assert "ETSI.CAdES.detached" in report


def test_signing_a_real_rendered_report(signers, store, actor, tmp_path):
    from app.report.document import build_report
    from app.report.pdf import render_report_pdf
    from app.services.demo import seed_demo

    review_id = seed_demo(store)
    report = tmp_path / "report.pdf"
    render_report_pdf(build_report(store, review_id), report)
    signers.sign(report, report, box_index=0, reason="Chair's sign-off")
    signers.sign(report, report, box_index=1, reason="Countersigned")

    result = verify_pdf(report)
    assert result.ok, result.reason
    assert [c.signer for c in result.signatures] == ["Dr Morgan Ellis", "Sam Taylor"]
    pages = int(subprocess.run(["pdfinfo", str(report)], capture_output=True, text=True).stdout
                .split("Pages:")[1].split()[0]) if shutil.which("pdfinfo") else None
    widgets = signature_widgets(report)
    if pages is not None:
        assert widgets["ChairSignature"][0] == widgets["Countersignature1"][0] == pages - 1
