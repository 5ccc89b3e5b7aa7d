"""What the ReviewDay bundle must carry besides Python code, shared by reviewday.spec and the tests.

Code finds its data next to itself (``Path(__file__).parent``). In a PyInstaller bundle a module's
``__file__`` is ``<bundle>/_internal/app/<package>/<module>.pyc``, so every data file is copied
to the same relative path it has in the source tree and the lookups work unchanged.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Directories whose non-Python files the app reads at run time, relative to ROOT.
DATA_TREES = ("app", "resources")
# Single documents shipped beside the code when present.
OPTIONAL_DOCS = ("docs/user-guide.md",)
# Alembic imports env.py and the revision scripts from the file system, so their sources ship too.
PYTHON_SOURCES_AS_DATA = ("app/migrations/env.py", "app/migrations/versions")

_SKIPPED_SUFFIXES = {".py", ".pyc", ".pyo"}
_SKIPPED_DIRS = {"__pycache__"}

# Qt modules the app does not use; PyInstaller's PySide6 hooks would otherwise pull some in.
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs",
    "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning",
    "QtQml", "QtQmlFeatures", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql",
    "QtStateMachine", "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel",
    "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)


def _wanted(path: Path) -> bool:
    return path.is_file() and path.suffix not in _SKIPPED_SUFFIXES and not (_SKIPPED_DIRS & set(path.parts))


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, destination folder inside the bundle) pairs, sorted, one per file."""
    files: set[Path] = set()
    for tree in DATA_TREES:
        base = root / tree
        if base.is_dir():
            files.update(p for p in base.rglob("*") if _wanted(p))
    files.update(root / doc for doc in OPTIONAL_DOCS if (root / doc).is_file())
    for entry in PYTHON_SOURCES_AS_DATA:
        path = root / entry
        if path.is_dir():
            files.update(p for p in path.glob("*.py"))
        elif path.is_file():
            files.add(path)
    return sorted((str(p), str(p.parent.relative_to(root))) for p in files)


def project_version(root: Path = ROOT) -> str:
    with open(root / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def app_version(root: Path = ROOT) -> str:
    """The version app/__init__.py declares, read without importing the app."""
    text = (root / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if match is None:
        raise ValueError("app/__init__.py declares no __version__")
    return match.group(1)

# Qt plugins left out of the bundle, as "<plugin type>/<file name prefix>" or "<plugin type>/".
DROPPED_QT_PLUGINS = (
    "platformthemes/libqgtk3", "platformthemes/qgtk3",  # would copy the build machine's GTK
    "platforms/libqeglfs", "platforms/libqlinuxfb", "platforms/libqvnc", "platforms/libqminimalegl",
    "egldeviceintegrations/", "qmltooling/", "sqldrivers/", "tls/", "networkinformation/",
    "designer/", "vectorimageformats/", "generic/", "platforms/libqvkkhrdisplay",
    # Image formats: the app reads PNG (built into Qt), SVG, ICO and JPEG only.
    "imageformats/libqtiff", "imageformats/libqwebp", "imageformats/libqtga", "imageformats/libqwbmp",
    "imageformats/libqicns", "imageformats/libqgif",
)

# PostgreSQL's client library, shipped in the Linux bundle for psycopg's pure-Python binding.
LINUX_LIBPQ = "libpq.so.5"

# Python's codecs for Chinese, Japanese and Korean legacy encodings (about 1 MB): ReviewDay reads and
# writes UTF-8 only. Without them such an encoding is simply unknown (LookupError), like any other.
EXCLUDED_CODECS = ("_codecs_cn", "_codecs_hk", "_codecs_iso2022", "_codecs_jp", "_codecs_kr", "_codecs_tw")

# Linux libraries the bundle takes from the computer it runs on, not from the build machine: the
# rule PyInstaller itself follows for libxcb, Wayland, GL and libdrm (libraries that must match the
# system's display server, drivers and services), applied to the rest of that kind. Every desktop
# Linux (Ubuntu, Debian, Fedora, RHEL...) has them all. With what only they need (Kerberos, avahi,
# libsystemd, libgcrypt, nettle, p11-kit...) they are about 20 MB, and bundled copies would never
# get the distribution's security updates.
HOST_LIBRARIES = (
    "libcups.so.2",  # the print server's client; without CUPS the app runs and lists no printers
    "libdbus-1.so.3",  # the message bus's client (and through it systemd's)
    "libgnutls.so.30",  # a TLS library (libldap's, under libpq), patched by the distribution
    "libX11.so.6", "libX11-xcb.so.1",  # X11's client, a layer over libxcb, which already is the host's
    "libfontconfig.so.1", "libfreetype.so.6",  # fontconfig must read the host's own /etc/fonts
)


def without_host_libraries(binaries: list[tuple], needed_by: dict[str, list[str]]) -> list[tuple]:
    """The binaries (PyInstaller TOC entries: destination, source, type) less HOST_LIBRARIES and
    every library that was there only because a dropped one needs it.

    `needed_by` maps each entry's file name to the file names it links (ELF DT_NEEDED). Entries
    nothing links (extension modules, Qt plugins) are what the app loads itself: they stay.
    """
    name_of = {entry[0]: entry[0].replace("\\", "/").rsplit("/", 1)[-1] for entry in binaries}
    users: dict[str, set[str]] = {name: set() for name in name_of.values()}
    for name in name_of.values():
        for needed in needed_by.get(name, ()):
            if needed in users and needed != name:
                users[needed].add(name)
    dropped = {name for name in users if name in HOST_LIBRARIES}
    changed = True
    while changed:
        changed = False
        for name, linked_from in users.items():
            if name not in dropped and linked_from and linked_from <= dropped:
                dropped.add(name)
                changed = True
    return [entry for entry in binaries if name_of[entry[0]] not in dropped]


def elf_needed(path: str) -> list[str]:
    """The libraries an ELF file links (DT_NEEDED); [] for anything that is not ELF."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile

    try:
        with open(path, "rb") as handle:
            elf = ELFFile(handle)
            return [tag.needed for section in elf.iter_sections() if isinstance(section, DynamicSection)
                    for tag in section.iter_tags() if tag.entry.d_tag == "DT_NEEDED"]
    except (ELFError, OSError):
        return []
