"""The app's settings: typed, with defaults, in one small JSON file with an injectable path.

Settings hold no personal data (no names, no paths to reviews, no passphrases), only how the
app behaves. A missing file means the defaults. A file that cannot be read as settings is
moved aside (never deleted) and the defaults are used, with one sentence saying so; a single
value out of range falls back to its default, also with one sentence.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from app.services.errors import ReviewDayError

log = logging.getLogger(__name__)

FORMAT = "reviewday-settings"
VERSION = 1
FILE_NAME = "settings.json"

AUTO_LOCK_MIN, AUTO_LOCK_MAX = 1, 60
BACKUP_SPACE_MIN_MB, BACKUP_SPACE_MAX_MB = 50, 100_000
TEXT_SCALES = (100, 125, 150, 200)
REPORT_DUE_MIN, REPORT_DUE_MAX = 1, 60


class SettingsError(ReviewDayError):
    """A setting has a value ReviewDay does not accept; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """How ReviewDay behaves on this computer. Construct with keywords; values are checked."""

    # Lock the window after this many minutes without a key press or a mouse click (1-60).
    auto_lock_minutes: int = 10
    # Offer to export and purge signed reviews older than this many days (None: never ask).
    retention_days: int | None = None
    # Appearance: a high-contrast palette, and the text size in percent (one of TEXT_SCALES).
    high_contrast: bool = False
    text_scale: int = 100
    # Show the plain-words version of the prompts in the guidance panel.
    plain_words_in_guidance: bool = False
    # The team database: a postgresql:// URL without a password (None: the database file here).
    database_url: str | None = None
    # The most space the rotating backups beside the database may take, in MB; the oldest go first,
    # the newest good one always stays.
    backup_space_mb: int = 500
    # The final report is due this many working days after the review day (10: two weeks); the
    # review list says "Report overdue" after that until a copy is recorded as sent.
    report_due_working_days: int = 10

    def __post_init__(self) -> None:
        minutes = self.auto_lock_minutes
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not AUTO_LOCK_MIN <= minutes <= AUTO_LOCK_MAX:
            raise SettingsError(
                f"The auto-lock time must be a whole number of minutes from {AUTO_LOCK_MIN} to {AUTO_LOCK_MAX}."
            )
        days = self.retention_days
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36_500):
            raise SettingsError("The retention period must be a whole number of days from 1 to 36500, or none.")
        for name, label in (("high_contrast", "High contrast"), ("plain_words_in_guidance", "Plain words")):
            if not isinstance(getattr(self, name), bool):
                raise SettingsError(f"The {label} setting must be on or off (true or false).")
        scale = self.text_scale
        if isinstance(scale, bool) or scale not in TEXT_SCALES:
            sizes = ", ".join(f"{s}%" for s in TEXT_SCALES)
            raise SettingsError(f"The text size must be one of {sizes}.")
        space = self.backup_space_mb
        if isinstance(space, bool) or not isinstance(space, int) or \
                not BACKUP_SPACE_MIN_MB <= space <= BACKUP_SPACE_MAX_MB:
            raise SettingsError(f"The space for backups must be a whole number of MB from {BACKUP_SPACE_MIN_MB} "
                                f"to {BACKUP_SPACE_MAX_MB}.")
        due = self.report_due_working_days
        if isinstance(due, bool) or not isinstance(due, int) or not REPORT_DUE_MIN <= due <= REPORT_DUE_MAX:
            raise SettingsError(f"The time to send the report must be a whole number of working days from "
                                f"{REPORT_DUE_MIN} to {REPORT_DUE_MAX}.")
        if self.database_url is not None:
            from app.services.server_db import setting_url_problem

            problem = setting_url_problem(self.database_url)
            if problem is not None:
                raise SettingsError(problem)

    @property
    def auto_lock_seconds(self) -> float:
        return float(self.auto_lock_minutes * 60)

    @property
    def backup_space_bytes(self) -> int:
        return self.backup_space_mb * 1024 * 1024


@dataclass(frozen=True)
class LoadedSettings:
    """The settings to use, and at most one sentence for the user about the file (else None)."""

    settings: Settings
    message: str | None = None


def default_settings_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("ReviewDay", appauthor=False) / FILE_NAME


def load_settings(path: str | Path | None = None) -> LoadedSettings:
    """The settings in `path` (default: the user's config folder), or the defaults."""
    target = Path(path) if path is not None else default_settings_path()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except OSError as exc:
        return LoadedSettings(Settings(), f"The settings file could not be read ({exc.strerror or exc}); "
                                         "the default settings are used.")
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a settings file")
        values = document.get("settings")
        if not isinstance(values, dict):
            raise ValueError("no settings")
    except (UnicodeDecodeError, ValueError):
        aside = _set_aside(target)
        log.warning("the settings file was malformed and was set aside")
        kept = f" It was kept as {aside.name}." if aside is not None else ""
        return LoadedSettings(Settings(), f"The settings file was damaged, so the default settings are used.{kept}")

    accepted: dict[str, object] = {}
    problems: list[str] = []
    for field in fields(Settings):
        if field.name not in values:
            continue
        try:
            Settings(**{field.name: values[field.name]})
        except (SettingsError, TypeError) as exc:
            problems.append(str(exc))
            continue
        accepted[field.name] = values[field.name]
    settings = Settings(**accepted)
    if problems:
        return LoadedSettings(settings, f"{problems[0]} The default is used instead.")
    return LoadedSettings(settings)


def save_settings(settings: Settings, path: str | Path | None = None) -> Path:
    """Write the settings atomically (the old file or the new one, never half of one)."""
    from app.report.atomic import atomic_write_bytes

    target = Path(path) if path is not None else default_settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": FORMAT, "version": VERSION, "settings": asdict(settings)}
    atomic_write_bytes(target, json.dumps(document, indent=2).encode("utf-8") + b"\n")
    return target


def _set_aside(target: Path) -> Path | None:
    """Rename a bad settings file to `<name>.bad[-n]` beside it; never overwrite or delete."""
    for n in range(100):
        aside = target.with_name(f"{target.name}.bad" + (f"-{n}" if n else ""))
        if aside.exists():
            continue
        try:
            target.rename(aside)
        except OSError:
            return None
        return aside
    return None
