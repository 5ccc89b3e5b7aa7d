"""Export and purge a finished review; export everything held about one person (subject access)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.report import publish
from app.report.atomic import atomic_write_bytes
from app.services import retention, reviews, signoff
from app.services.dto import Actor
from app.services.errors import StorageError, ValidationError
from app.services.store import Store

Progress = Callable[[int, int], None]
ALL_FORMATS: tuple[str, ...] = tuple(publish.FORMATS)


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    files: tuple[Path, ...]
    purged: bool


def export_review(store: Store, review_id: int, folder: Path, *, progress: Progress | None = None) -> list[Path]:
    """Every format, the planning and distribution record (CSV), and every signed revision's PDF, into
    `folder` (which must exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise StorageError(f"Cannot export into {folder}: there is no such folder.")
    from app.report.planning_export import render_planning_csv

    revisions = [r for r in signoff.list_revisions(store, review_id) if r.signed]
    total = len(ALL_FORMATS) + 1 + len(revisions)
    written: list[Path] = []
    for fmt in ALL_FORMATS:
        written.append(publish.export_report(store, review_id, fmt, folder / publish.default_file_name(store, review_id, fmt)))
        if progress:
            progress(len(written), total)
    stem = publish.default_file_name(store, review_id, "pdf").removesuffix(".pdf")
    # The planning record and the report's accuracy check and distribution: not all of it is in the report.
    planning_csv = folder / f"{stem}-planning-and-distribution.csv"
    render_planning_csv(store, review_id, planning_csv)
    written.append(planning_csv)
    if progress:
        progress(len(written), total)
    for revision in revisions:
        path = folder / f"{stem}-signed-revision-{revision.number}.pdf"
        atomic_write_bytes(path, signoff.signed_pdf(store, review_id, revision.number))
        written.append(path)
        if progress:
            progress(len(written), total)
    return written


def export_and_purge(
    store: Store, review_id: int, folder: Path, actor: Actor, *, progress: Progress | None = None
) -> ArchiveResult:
    """Export everything, check the exports, and only then delete the review from this computer."""
    from app.report.verify import verify_pdf

    review = reviews.get_review(store, review_id)
    if not review.locked:
        raise ValidationError("Only a signed review can be purged: the signed report must exist first.")
    files = export_review(store, review_id, folder, progress=progress)
    for path in files:
        if not path.is_file() or path.stat().st_size == 0:
            raise StorageError(f"The export {path.name} is missing or empty, so nothing was deleted.")
        if "-signed-revision-" in path.name and not verify_pdf(path).ok:
            raise StorageError(f"The signed report {path.name} does not verify, so nothing was deleted.")
    retention.log_event(store, "export", review.uid, ALL_FORMATS, len(files))
    retention.purge_review(store, review_id, actor)
    return ArchiveResult(Path(folder), tuple(files), True)


def subject_access_export(store: Store, person_label: str, folder: Path) -> list[Path]:
    """Everything held about one person: every review of theirs, in every format, in one folder."""
    folder = Path(folder)
    review_ids = retention.reviews_of_person(store, person_label)
    if not review_ids:
        raise ValidationError("No review here is for that person.")
    written: list[Path] = []
    for review_id in review_ids:
        review = reviews.get_review(store, review_id)
        sub = folder / f"review-{review.review_date:%Y-%m-%d}-{review_id}"
        sub.mkdir(parents=True, exist_ok=True)
        written += export_review(store, review_id, sub)
        retention.log_event(store, "export", review.uid, ALL_FORMATS, len(written))
    index = folder / "index.txt"
    lines = ["Everything this ReviewDay database holds about the person, one folder per review:", ""]
    lines += [str(path.relative_to(folder)) for path in written]
    atomic_write_bytes(index, ("\n".join(lines) + "\n").encode("utf-8"))
    return [*written, index]
