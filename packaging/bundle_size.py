"""Measure a built bundle: total size, the largest files and folders; print them and write JSON.

    python packaging/bundle_size.py dist/ReviewDay --out dist/bundle-size.json [--max-mb 230]

Exit 1 when the bundle is larger than --max-mb (a guard against something big sneaking in).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TARGET_MB = 150
MB = 1024 * 1024


def measure(bundle: Path, top: int = 10) -> dict:
    files: dict[str, int] = {}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(bundle).as_posix()] = path.stat().st_size
    folders: dict[str, int] = {}
    for name, size in files.items():
        parts = name.split("/")
        # Group by the first folder below _internal/ (PySide6, cryptography...) or the top level.
        key = "/".join(parts[:2]) if parts[0] == "_internal" and len(parts) > 2 else parts[0]
        folders[key] = folders.get(key, 0) + size
    total = sum(files.values())

    def biggest(sizes: dict[str, int]) -> list[dict]:
        ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[:top]
        return [{"path": name, "mb": round(size / MB, 2)} for name, size in ranked]

    return {
        "bundle": bundle.name,
        "total_mb": round(total / MB, 1),
        "files": len(files),
        "target_mb": TARGET_MB,
        "under_target": total / MB < TARGET_MB,
        "largest_files": biggest(files),
        "largest_folders": biggest(folders),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--build-seconds", type=int, default=0)
    parser.add_argument("--smoke-seconds", type=int, default=0)
    parser.add_argument("--max-mb", type=float, default=230)
    args = parser.parse_args(argv)
    if not args.bundle.is_dir():
        print(f"bundle_size: there is no bundle folder at {args.bundle}.", file=sys.stderr)
        return 2
    report = measure(args.bundle)
    report["build_seconds"] = args.build_seconds
    report["smoke_seconds"] = args.smoke_seconds
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    verdict = "under" if report["under_target"] else "over"
    print(f"Bundle size: {report['total_mb']} MB in {report['files']} files "
          f"({verdict} the {TARGET_MB} MB target); written to {args.out}")
    print("Largest folders:")
    for item in report["largest_folders"]:
        print(f"  {item['mb']:8.2f} MB  {item['path']}")
    print("Largest files:")
    for item in report["largest_files"]:
        print(f"  {item['mb']:8.2f} MB  {item['path']}")
    if report["total_mb"] > args.max_mb:
        print(f"bundle_size: the bundle is {report['total_mb']} MB, over the {args.max_mb:g} MB limit.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
