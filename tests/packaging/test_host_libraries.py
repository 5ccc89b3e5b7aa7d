"""Libraries the Linux bundle takes from the computer it runs on (bundle_data.HOST_LIBRARIES)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.packaging.support import load

bundle_data = load("bundle_data")

# A bundle in miniature: (destination, source, type), and what each file links.
BINARIES = [
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/src/libcupsprintersupport.so", "BINARY"),
    ("PySide6/Qt/lib/libQt6DBus.so.6", "/src/libQt6DBus.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
    ("lib-dynload/_lzma.so", "/src/_lzma.so", "EXTENSION"),
    ("libcups.so.2", "/usr/lib/libcups.so.2", "BINARY"),
    ("libgnutls.so.30", "/usr/lib/libgnutls.so.30", "BINARY"),
    ("libdbus-1.so.3", "/usr/lib/libdbus-1.so.3", "BINARY"),
    ("libsystemd.so.0", "/usr/lib/libsystemd.so.0", "BINARY"),
    ("liblzma.so.5", "/usr/lib/liblzma.so.5", "BINARY"),
    ("libzstd.so.1", "/usr/lib/libzstd.so.1", "BINARY"),
]
NEEDED = {
    "libcupsprintersupport.so": ["libcups.so.2", "libQt6Core.so.6"],
    "libQt6DBus.so.6": ["libdbus-1.so.3", "libQt6Core.so.6"],
    "libQt6Core.so.6": ["libzstd.so.1"],
    "_lzma.so": ["liblzma.so.5"],
    "libcups.so.2": ["libgnutls.so.30", "libdbus-1.so.3"],
    "libdbus-1.so.3": ["libsystemd.so.0"],
    "libsystemd.so.0": ["liblzma.so.5", "libzstd.so.1"],
}


def _names(entries):
    return sorted(Path(dest).name for dest, _src, _kind in entries)


def test_host_libraries_go_with_what_only_they_need():
    kept = bundle_data.without_host_libraries(BINARIES, NEEDED)
    assert _names(kept) == sorted([
        "libcupsprintersupport.so",  # the plugin stays and finds the system's libcups
        "libQt6DBus.so.6", "libQt6Core.so.6", "_lzma.so",
        "liblzma.so.5",  # still needed by _lzma
        "libzstd.so.1",  # still needed by QtCore
    ])


def test_nothing_is_dropped_when_no_host_library_is_there():
    entries = [entry for entry in BINARIES if Path(entry[0]).name not in bundle_data.HOST_LIBRARIES]
    assert bundle_data.without_host_libraries(entries, NEEDED) == entries


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files are Linux's")
def test_elf_needed_reads_a_real_library():
    import PySide6

    core = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Core.so.*"))
    assert any(name.startswith("libicuuc.so") for name in bundle_data.elf_needed(str(core)))
    assert bundle_data.elf_needed(__file__) == []  # not ELF: nothing, and no error
