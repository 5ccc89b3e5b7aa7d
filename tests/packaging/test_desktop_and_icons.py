"""The Linux desktop entry is valid and the icon exists in every declared size and container."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.packaging.support import PACKAGING, ROOT, load

make_icons = load("make_icons")
ICONS = ROOT / "resources" / "icons"
DESKTOP = PACKAGING / "reviewday.desktop"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG image"
    return struct.unpack(">II", data[16:24])


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_passes_desktop_file_validate():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (scripts/dev setup installs desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stdout + result.stderr


def test_desktop_file_has_the_required_keys():
    entry = _entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "ReviewDay"
    assert entry["GenericName"] and entry["Comment"]
    assert entry["Exec"].split()[0] == "reviewday"
    assert entry["Icon"] == "reviewday"
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].rstrip(";").split(";")
    assert {"Office", "MedicalSoftware"} <= set(categories)
    # Wayland matches windows to the entry by the file name the app declares.
    assert 'setDesktopFileName("reviewday")' in (ROOT / "app/ui/app.py").read_text(encoding="utf-8")


def test_svg_source_is_a_square_svg():
    root = ET.parse(ICONS / "reviewday.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_exists_at_each_declared_size(size):
    assert _png_size((ICONS / make_icons.png_name(size)).read_bytes()) == (size, size)


def test_ico_holds_each_windows_size_as_png():
    data = (ICONS / "reviewday.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        image = _png_size(data[offset: offset + length])
        assert image == (width or 256, height or 256)
        sizes.append(image[0])
    assert tuple(sizes) == make_icons.ICO_SIZES


def test_icns_holds_each_macos_size_as_png():
    data = (ICONS / "reviewday.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, offset = {}, 8
    while offset < len(data):
        kind, length = data[offset: offset + 4], struct.unpack(">I", data[offset + 4: offset + 8])[0]
        found[kind] = _png_size(data[offset + 8: offset + length])
        offset += length
    assert found == {kind: (size, size) for kind, size in make_icons.ICNS_TYPES}


def test_icon_containers_match_what_the_script_writes():
    pngs = {size: (ICONS / make_icons.png_name(size)).read_bytes() for size in make_icons.PNG_SIZES}
    assert make_icons.ico_bytes(pngs) == (ICONS / "reviewday.ico").read_bytes()
    assert make_icons.icns_bytes(pngs) == (ICONS / "reviewday.icns").read_bytes()


def test_window_icon_offers_every_size(qapp):
    from app.ui.app_icon import SIZES, app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(SIZES)


def test_window_icon_is_empty_when_the_files_are_absent(qapp, monkeypatch, tmp_path):
    from app.ui import app_icon as module

    monkeypatch.setattr(module, "ICON_DIR", tmp_path)
    assert module.app_icon().isNull()
