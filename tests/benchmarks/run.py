"""Benchmarks, run on demand (`scripts/dev bench`): a table on stdout and JSON in results/.

Each measurement sits beside a baseline measured in the same run on the same machine, so the
numbers say something even on a busy or slow box. Targets are printed, never asserted in the
normal test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results"


def _time_process(args: list[str], runs: int) -> list[float]:
    """Seconds from starting `args` to its "ready" line, after one untimed warm-up run."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    timings = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        line = process.stdout.readline().strip()
        elapsed = time.perf_counter() - start
        process.communicate(timeout=60)
        if line != "ready":
            raise RuntimeError(f"{args} did not become ready: {line!r}")
        timings.append(elapsed)
    return timings[1:]  # the warm-up run fills the disk cache alike for every command measured


def _compile_app_bytecode() -> None:
    """Write the app's .pyc files, as an installed app or the bundle has them.

    The baselines import only the standard library and installed packages, whose bytecode pip
    wrote at install time; with PYTHONDONTWRITEBYTECODE set (some shells and IDEs set it) the
    editable checkout's own modules would otherwise be compiled from source on every start.
    """
    import compileall

    compileall.compile_dir(ROOT / "app", quiet=1)


def bench_startup(runs: int, workdir: Path) -> list[dict]:
    from app.services.demo import seed_demo
    from app.services.store import Store

    db = workdir / "startup.sqlite3"
    store = Store.open(db)
    review_id = seed_demo(store, review_date=date(2026, 11, 20))
    store.close()
    _compile_app_bytecode()
    bare = _time_process([sys.executable, str(HERE / "bare_window.py")], runs)
    floor = _time_process([sys.executable, str(HERE / "import_floor.py")], runs)
    app = _time_process(
        [sys.executable, "-m", "app", "--db", str(db), "--review", str(review_id), "--exit-when-ready"], runs
    )
    return [
        _row("start-up: bare PySide6 QMainWindow (baseline)", bare, "s"),
        _row("start-up: QMainWindow + SQLAlchemy ORM import (floor)", floor, "s", baseline=bare),
        _row("start-up: ReviewDay showing the demo review", app, "s", target=1.0, baseline=bare),
    ]


def bench_autosave(repeats: int, workdir: Path) -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.services.demo import seed_demo
    from app.services.store import Store
    from app.ui.app import create_application
    from app.ui.main_window import MainWindow

    create_application()
    rows = []
    for label, size in (("empty-ish review (baseline)", None), ("large demo review", "large")):
        store = Store.open(workdir / f"autosave-{size}.sqlite3")
        if size:
            review_id = seed_demo(store, review_date=date(2026, 11, 20), size="large")
        else:
            review_id = seed_demo(store, review_date=date(2026, 11, 20))
        from app.services.dto import Actor

        window = MainWindow(store)
        window.show()
        window.open_review(review_id, writer=Actor("Sam Taylor", "note_taker"))
        ctx = window.ctx
        section = ctx.template.sections[1].id
        from app.services import drafts, reviews

        timings = []
        for number in range(repeats):
            ctx.autosaver.schedule("bench-draft", lambda n=number: drafts.save_draft(
                ctx.store, ctx.review_id, f"capture:{section}", f"typing {n}"))
            ctx.autosaver.schedule("bench-setup", lambda n=number: reviews.update_setup(
                ctx.store, ctx.review_id, ctx.actor, ward=f"Cedar Ward {n}"))
            start = time.perf_counter()
            ctx.autosaver.flush()
            timings.append(time.perf_counter() - start)
        window.close()
        store.close()
        rows.append(_row(f"autosave flush, UI thread: {label}", timings, "ms", target=0.050 if size else None,
                         baseline=rows[0]["samples"] if rows else None, stat="max"))
    return rows


def bench_export_sign(runs: int, workdir: Path) -> list[dict]:
    from app.report import publish
    from app.report.document import build_report
    from app.security.identities import IdentityStore
    from app.services import signoff
    from app.services.demo import PANEL, seed_demo
    from app.services.dto import Actor
    from app.services.store import Store

    passphrase = "benchmark passphrase"
    identities = IdentityStore(workdir / "identities")
    info = identities.create("Morgan Ellis", "Independent chair", passphrase)
    signer = identities.load_signer(info.name, passphrase)
    chair = Actor("Morgan Ellis", "independent_chair")
    bare, ours = [], []
    for run in range(runs):
        store = Store.open(workdir / f"export-{run}.sqlite3")
        review_id = seed_demo(store, review_date=date(2026, 11, 20), size="large")
        for name, role, _org, _attendance in PANEL[1:]:
            signoff.confirm(store, review_id, Actor(name, role), identity_name=name, fingerprint="0" * 64)
        document = build_report(store, review_id)
        start = time.perf_counter()
        _bare_reportlab(document, workdir / f"bare-{run}.pdf")
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        publish.sign_report(store, review_id, signer=signer, signer_actor=chair,
                            fingerprint=info.fingerprint, out=workdir / f"signed-{run}.pdf")
        ours.append(time.perf_counter() - start)
        store.close()
    return [
        _row("render the large report with bare reportlab (baseline)", bare, "s"),
        _row("build, render and sign the large report (PAdES)", ours, "s", target=2.0, baseline=bare),
    ]


def bench_encryption(repeats: int, workdir: Path) -> list[dict]:
    """Opening the large demo database and autosave-like writes, plain and SQLCipher-encrypted."""
    import secrets
    from datetime import UTC, datetime

    from app.security import data_key
    from app.services import drafts
    from app.services.demo import seed_demo
    from app.services.store import Store

    measured = {}
    for kind, db_key in (("plain", None), ("encrypted", secrets.token_bytes(32))):
        path = workdir / f"encryption-{kind}.sqlite3"
        store = Store.open(path, key=db_key)
        review_id = seed_demo(store, review_date=date(2026, 11, 20), size="large")
        store.close()
        opens, writes = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            store = Store.open(path, key=db_key, create=False)
            drafts.get_draft(store, review_id, "capture:safety")  # the first real read
            opens.append(time.perf_counter() - start)
            for number in range(5):
                start = time.perf_counter()
                drafts.save_draft(store, review_id, "capture:safety", f"typing {number} " * 40)
                writes.append(time.perf_counter() - start)
            store.close()
        measured[kind] = (opens, writes)
    (plain_opens, plain_writes), (enc_opens, enc_writes) = measured["plain"], measured["encrypted"]
    keys_db = workdir / "encryption-kdf.sqlite3"
    data_key.create_keys(keys_db, "benchmark passphrase")
    unlocks = []
    for _ in range(max(2, repeats // 3)):
        start = time.perf_counter()
        data_key.unlock(keys_db, "benchmark passphrase", clock=lambda: datetime.now(UTC))
        unlocks.append(time.perf_counter() - start)
    return [
        _row("open the large demo database: plain (baseline)", plain_opens, "ms"),
        _row("open the large demo database: encrypted", enc_opens, "ms", baseline=plain_opens),
        _row("autosave-like write: plain (baseline)", plain_writes, "ms", stat="max"),
        _row("autosave-like write: encrypted", enc_writes, "ms", target=0.050, stat="max", baseline=plain_writes),
        _row("unlock the data key with the passphrase (scrypt)", unlocks, "s", target=1.0),
    ]


def bench_bundle(runs: int, workdir: Path) -> list[dict]:
    """Export and import of the large demo review as a bundle, beside plain json.dumps / json.loads."""
    from app.bundle import dump_review, encode_bundle, import_review, load_bundle
    from app.bundle.files import export_bundle
    from app.services.demo import seed_demo
    from app.services.dto import Actor
    from app.services.store import Store

    store = Store.open(workdir / "bundle-source.sqlite3")
    review_id = seed_demo(store, review_date=date(2026, 11, 20), size="large")
    document = dump_review(store, review_id)
    data = encode_bundle(document)
    dumps, exports, loads, parses, imports = [], [], [], [], []
    for number in range(runs):
        start = time.perf_counter()
        json.dumps(document, sort_keys=True)
        dumps.append(time.perf_counter() - start)
        start = time.perf_counter()
        export_bundle(store, review_id, workdir / "bundle.json")
        exports.append(time.perf_counter() - start)
        start = time.perf_counter()
        json.loads(data)
        parses.append(time.perf_counter() - start)
        start = time.perf_counter()
        loaded = load_bundle(data)
        loads.append(time.perf_counter() - start)
        target = Store.open(workdir / f"bundle-target-{number}.sqlite3")
        start = time.perf_counter()
        import_review(target, loaded, Actor("Benchmark", "chair"))
        imports.append(time.perf_counter() - start)
        target.close()
    store.close()
    return [
        _row(f"json.dumps of the large bundle, {len(data) // 1024} KB (baseline)", dumps, "ms"),
        _row("export the large demo review as a bundle file", exports, "s", target=1.0, baseline=dumps),
        _row("json.loads of the large bundle (baseline)", parses, "ms"),
        _row("load_bundle: parse and check the large bundle", loads, "s", target=1.0, baseline=parses),
        _row("import the large bundle into a new database", imports, "s", target=2.0),
    ]


def _bare_reportlab(document, out: Path) -> None:
    """The same words with reportlab's defaults: no fonts, no two passes, no boxes, no signing."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story = [Paragraph(escape(document.title), styles["Title"])]
    for headline in document.headlines:
        story.append(Paragraph(escape(f"{headline.question} {headline.answer}. {headline.reasons}"), styles["Normal"]))
    for section in document.sections:
        story.append(Paragraph(escape(section.title), styles["Heading2"]))
        for entry in section.findings + section.good_practice + section.concerns:
            story.append(Paragraph(escape(entry.text), styles["Normal"]))
        for voice in section.voices:
            story.append(Paragraph(escape(f"{voice.speaker}: {voice.text}"), styles["Normal"]))
    rows = [["#", "What", "Owner", "Deadline"]] + [
        [str(a.number), Paragraph(escape(a.what), styles["Normal"]), a.owner, str(a.deadline)] for a in document.actions
    ]
    story.append(Table(rows, repeatRows=1, colWidths=[20, 300, 100, 70]))
    SimpleDocTemplate(str(out)).build(story)


def _row(name: str, samples: list[float], unit: str, *, target: float | None = None,
         baseline: list[float] | None = None, stat: str = "median") -> dict:
    median = statistics.median(samples)
    worst = max(samples)
    judged = worst if stat == "max" else median
    row = {
        "name": name,
        "unit": unit,
        "runs": len(samples),
        "median": median,
        "max": worst,
        "samples": samples,
        "target": target,
        "judged_on": stat,
        "meets_target": None if target is None else judged <= target,
    }
    if baseline:
        row["vs_baseline"] = median / statistics.median(baseline)
    return row


def _fmt(value: float, unit: str) -> str:
    return f"{value * 1000:.1f} ms" if unit == "ms" else f"{value:.3f} s"


def print_table(rows: list[dict]) -> None:
    header = f"{'benchmark':<52} {'runs':>4} {'median':>10} {'max':>10} {'target':>10} {'x base':>7}  ok"
    print(header)
    print("-" * len(header))
    for row in rows:
        target = _fmt(row["target"], row["unit"]) + f" {row['judged_on'][:3]}" if row["target"] else ""
        ratio = f"{row['vs_baseline']:.2f}" if "vs_baseline" in row else ""
        ok = {True: "yes", False: "NO", None: ""}[row["meets_target"]]
        print(f"{row['name']:<52} {row['runs']:>4} {_fmt(row['median'], row['unit']):>10} "
              f"{_fmt(row['max'], row['unit']):>10} {target:>10} {ratio:>7}  {ok}")


BENCHMARKS: dict[str, Callable[[int, Path], list[dict]]] = {
    "startup": lambda n, d: bench_startup(n, d),
    "autosave": lambda n, d: bench_autosave(n * 6, d),
    "export": lambda n, d: bench_export_sign(n, d),
    "encryption": lambda n, d: bench_encryption(n * 3, d),
    "bundle": lambda n, d: bench_bundle(n, d),
    "tracker": lambda n, d: _bench_tracker(n, d),
}


def _bench_tracker(runs: int, workdir: Path) -> list[dict]:
    from tests.benchmarks.tracker_bench import bench_tracker

    return bench_tracker(runs, workdir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"which benchmarks: {', '.join(BENCHMARKS)} (default all)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="reviewday-bench-") as workdir:
        for name in args.names or list(BENCHMARKS):
            rows += BENCHMARKS[name](args.runs, Path(workdir))
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                                    "results": rows}, indent=2))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
