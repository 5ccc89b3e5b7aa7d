"""A smaller ICU data library for the Linux bundle, made with ICU's own packaging tool.

QtCore in the PySide6 wheels links ICU, and ICU's data library (``libicudata.so.NN``, about 31 MB,
the largest file of the bundle) holds every locale's display names, collation and number rules,
transliterators and some 190 legacy code pages. ReviewDay is an English-language app that calls none of Qt's ICU-backed APIs
itself; inside Qt, ICU serves locale-aware casing (code, not data), collation and time-zone names
(root and English kept), and non-Unicode text codecs (the single-byte code pages kept).

The same library is rebuilt with less in it:

1. the data blob is read from the wheel's library (the exported ``icudtNN_dat`` symbol);
2. ICU's ``icupkg`` (Debian package ``icu-devtools``) removes the items ``wanted()`` rejects. It
   refuses to remove an item that a kept item depends on, so a filter mistake fails the build
   instead of shipping broken data;
3. gcc wraps the smaller blob in a library exporting the same symbol under the same soname, so
   ``libicuuc`` loads it unchanged. Anything ICU looks up and no longer finds falls back to the
   root locale, as ICU always does for locales it has no data for.

``python packaging/icu_data.py LIBICUDATA OUTDIR`` does it by hand; the spec calls ``trim()``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Locales whose data stays: the root locale, English (UK, US, international, Europe) and Welsh.
KEPT_LOCALES = frozenset({"root", "en", "en_001", "en_150", "en_GB", "en_US", "en_US_POSIX", "cy", "cy_GB"})
# Trees Qt never reads: transliterators (ICU's Transliterator API).
DROPPED_TREES = ("translit/",)
# Code pages: the single-byte tables (Latin, Cyrillic, Greek... each a few KB) stay; the multi-byte
# East Asian and EBCDIC tables, 20 KB to 550 KB each, go.
MAX_CODE_PAGE_BYTES = 20_000
_LOCALE_ID = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]*)*")  # de, en_GB, sr_Latn_RS, de_ (a variant)
_DATA_SYMBOL = re.compile(r"icudt(\d+)_dat")


class IcuTrimError(RuntimeError):
    """The trimmed library could not be made; the message says why."""


@dataclass(frozen=True)
class TrimResult:
    library: Path
    bytes_before: int
    bytes_after: int
    items_before: int
    items_after: int


def wanted(item: str, size: int) -> bool:
    """Whether an ICU data item (``coll/de.res``, ``ibm-943_P15A-2003.cnv``...) stays."""
    if item.startswith(DROPPED_TREES):
        return False
    stem, _, extension = item.rpartition("/")[2].rpartition(".")
    if extension == "cnv":
        return size < MAX_CODE_PAGE_BYTES
    if extension == "res" and _LOCALE_ID.fullmatch(stem):
        return stem in KEPT_LOCALES
    return True  # shared tables: root, pool.res, res_index, time-zone rules, normalisation, UCA...


def _data_blob(library: Path) -> tuple[str, bytes]:
    """(ICU major version, the common data) from a libicudata shared library."""
    from elftools.elf.elffile import ELFFile

    with open(library, "rb") as handle:
        elf = ELFFile(handle)
        symbols = elf.get_section_by_name(".dynsym")
        if symbols is None:
            raise IcuTrimError(f"{library} has no dynamic symbols: not an ICU data library.")
        for symbol in symbols.iter_symbols():
            match = _DATA_SYMBOL.fullmatch(symbol.name)
            if match and symbol["st_size"] and isinstance(symbol["st_shndx"], int):
                section = elf.get_section(symbol["st_shndx"])
                offset = section["sh_offset"] + symbol["st_value"] - section["sh_addr"]
                handle.seek(offset)
                return match.group(1), handle.read(symbol["st_size"])
    raise IcuTrimError(f"{library} exports no icudtNN_dat symbol: not an ICU data library.")


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise IcuTrimError(f"{args[0]} is not installed (Debian: icu-devtools for icupkg, gcc).") from None
    if done.returncode != 0:
        raise IcuTrimError(f"{Path(str(args[0])).name} failed: {(done.stderr or done.stdout).strip()[-600:]}")
    return done.stdout


_MISSING = re.compile(r"Item (\S+) depends on missing item (\S+)")


def _remove(full: Path, trimmed: Path, removed: set[str], listing: Path) -> None:
    """icupkg -r, taking out with them the code pages that extend a removed one.

    A few small code pages (windows-936, ibm-942...) are extensions of a large multi-byte base
    table; icupkg names each one whose base is gone, and they go too. A kept item of any other
    kind depending on a removed one is a mistake in wanted(): the build stops.
    """
    while True:
        listing.write_text("\n".join(sorted(removed)) + "\n", encoding="ascii")
        done = subprocess.run(["icupkg", "-tl", "-r", str(listing), str(full), str(trimmed)],
                              capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return
        dependents = {item for item, _needed in _MISSING.findall(done.stdout + done.stderr)}
        if not dependents or not all(item.endswith(".cnv") for item in dependents) or dependents <= removed:
            raise IcuTrimError(f"icupkg failed: {(done.stderr or done.stdout).strip()[-600:]}")
        removed |= dependents


def _assemble(blob_path: Path, version: str, soname: str, out: Path) -> None:
    source = out.with_suffix(".S")
    source.write_text(
        '    .section .note.GNU-stack,"",@progbits\n'
        "    .section .rodata\n"
        "    .balign 16\n"
        f"    .globl icudt{version}_dat\n"
        f"    .type icudt{version}_dat, @object\n"
        f"icudt{version}_dat:\n"
        f'    .incbin "{blob_path}"\n'
        f"    .size icudt{version}_dat, . - icudt{version}_dat\n",
        encoding="ascii",
    )
    _run("gcc", "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", out, source)
    source.unlink()


def trim(library: Path, out_dir: Path) -> TrimResult:
    """Write ``out_dir/<same name as library>``, the same ICU data library with less data."""
    library = Path(library)
    for tool in ("icupkg", "gcc"):
        if shutil.which(tool) is None:
            raise IcuTrimError(f"{tool} is not installed (Debian: icu-devtools for icupkg, gcc): "
                               "it is needed to build the bundle's ICU data.")
    version, blob = _data_blob(library)
    package = f"icudt{version}l"  # ICU's name for its little-endian, ASCII-family data
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reviewday-icu-") as scratch_name:
        scratch = Path(scratch_name)
        full = scratch / "full" / f"{package}.dat"
        full.parent.mkdir()
        full.write_bytes(blob)
        items = _run("icupkg", "-l", full).split()
        listing = scratch / "all.txt"
        listing.write_text("\n".join(items) + "\n", encoding="ascii")
        extracted = scratch / "items"
        extracted.mkdir()
        _run("icupkg", "-x", listing, "-d", extracted, full)
        removed = {item for item in items if not wanted(item, (extracted / item).stat().st_size)}
        trimmed = scratch / "trimmed" / f"{package}.dat"
        trimmed.parent.mkdir()
        _remove(full, trimmed, removed, scratch / "remove.txt")
        kept = _run("icupkg", "-l", trimmed).split()
        target = out_dir / library.name
        _assemble(trimmed, version, library.name, target)
        after_version, after_blob = _data_blob(target)
        if after_version != version or after_blob != trimmed.read_bytes():
            raise IcuTrimError(f"the rebuilt {library.name} does not hold the trimmed data.")
        return TrimResult(target, len(blob), len(after_blob), len(items), len(kept))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: icu_data.py LIBICUDATA OUTDIR", file=sys.stderr)
        return 2
    try:
        result = trim(Path(argv[0]), Path(argv[1]))
    except (IcuTrimError, OSError) as exc:
        print(f"icu_data.py: {exc}", file=sys.stderr)
        return 1
    print(f"{result.library}: {result.items_after} of {result.items_before} items, "
          f"{result.bytes_after / 1e6:.1f} MB of {result.bytes_before / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
