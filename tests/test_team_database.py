"""The team database from the outside: the setting, the command line, the window's start-up.

The tests marked `needs_server` use the PostgreSQL server of REVIEWDAY_TEST_POSTGRES_URL and skip
without it; the rest need no server (a refused connection on port 1 is enough).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli.main import main
from app.services import server_db
from app.settings import Settings, SettingsError, load_settings, save_settings
from tests.postgres_support import postgres_url

REFUSED = "postgresql://reviewday@127.0.0.1:1/reviews"
SECRET = "Tr0ub4dor-and-3"

needs_server = pytest.mark.skipif(postgres_url() is None, reason="REVIEWDAY_TEST_POSTGRES_URL is not set")


class MemoryKeyring:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, account):
        return self.entries.get((service, account))

    def set_password(self, service, account, password):
        self.entries[(service, account)] = password

    def delete_password(self, service, account):
        if (service, account) not in self.entries:
            from keyring.errors import PasswordDeleteError

            raise PasswordDeleteError("not there")
        del self.entries[(service, account)]


@pytest.fixture
def ring(monkeypatch) -> MemoryKeyring:
    memory = MemoryKeyring()
    monkeypatch.setattr(server_db, "_keyring", lambda: memory)
    return memory


def run_app(*args: str, config_home, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "REVIEWDAY_PASSPHRASE"}
    environment.update({"QT_QPA_PLATFORM": "offscreen", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                        "XDG_CONFIG_HOME": str(config_home), **env})
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env=environment, timeout=120, stdin=subprocess.DEVNULL)


def write_settings(config_home, **values) -> None:
    folder = config_home / "ReviewDay"
    folder.mkdir(parents=True, exist_ok=True)
    document = {"format": "reviewday-settings", "version": 1, "settings": values}
    (folder / "settings.json").write_text(json.dumps(document), encoding="utf-8")


# The setting -------------------------------------------------------------------------------


def test_the_team_database_setting_round_trips(tmp_path):
    assert Settings().database_url is None
    settings = Settings(database_url="postgresql://reviewday@db.example:5433/reviews")
    path = save_settings(settings, tmp_path / "settings.json")
    assert load_settings(path).settings.database_url == "postgresql://reviewday@db.example:5433/reviews"


@pytest.mark.parametrize("url, expected", [
    (f"postgresql://reviewday:{SECRET}@db.example/reviews", "must not hold a password: give it in PGPASSWORD"),
    (f"postgresql://reviewday@db.example/reviews?password={SECRET}", "must not hold a password"),
    ("mysql://reviewday@db.example/reviews", "must be a postgresql:// URL"),
    ("/home/me/reviews.sqlite3", "must be a postgresql:// URL"),
    ("postgresql://reviewday@db.example", "names no database"),
    ("", "must be a postgresql:// address, or none"),
    (42, "must be a postgresql:// address, or none"),
])
def test_bad_team_database_settings_are_refused_in_one_sentence(url, expected):
    with pytest.raises(SettingsError, match=expected) as caught:
        Settings(database_url=url)
    assert SECRET not in str(caught.value)


def test_a_settings_file_with_a_password_in_the_url_falls_back_without_echoing_it(tmp_path):
    write_settings(tmp_path, database_url=f"postgresql://reviewday:{SECRET}@db.example/reviews", text_scale=125)
    loaded = load_settings(tmp_path / "ReviewDay" / "settings.json")
    assert loaded.settings.database_url is None and loaded.settings.text_scale == 125
    assert loaded.message.startswith("The team database address must not hold a password")
    assert SECRET not in loaded.message


# The command line --------------------------------------------------------------------------


@pytest.mark.parametrize("argv, expected", [
    (["backup", "--db", REFUSED, "--out", "x.sqlite3"], "backup works on database files only; back up a team"),
    (["restore", "x.sqlite3", "--db", REFUSED], "restore works on database files only"),
    (["doctor", "--db", REFUSED], "doctor checks database files only"),
])
def test_file_only_commands_refuse_a_team_database(argv, expected, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"reviewday: {expected}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_team_database_is_one_line_without_the_password(capsys):
    assert main(["list", "--db", f"postgresql://reviewday:{SECRET}@127.0.0.1:1/reviews"]) == 2
    err = capsys.readouterr().err
    assert err == ("reviewday: Cannot open the team database reviews on 127.0.0.1:1: the server is not running "
                   "or refuses connections; check the address and port.\n")


def test_team_password_is_kept_in_the_keyring_and_forgotten(ring, capsys, monkeypatch):
    monkeypatch.setenv("TEAM_PW", SECRET)
    assert main(["team-password", "postgresql://reviewday@db.example:5433/reviews", "--password-env", "TEAM_PW"]) == 0
    assert capsys.readouterr().out == ("Kept the password for reviewday@db.example:5433/reviews "
                                       "in the system keyring.\n")
    assert server_db.keyring_password("postgresql+psycopg://reviewday@db.example:5433/reviews") == SECRET
    assert main(["team-password", "postgresql://reviewday@db.example:5433/reviews", "--forget"]) == 0
    assert "Forgot the password" in capsys.readouterr().out
    assert server_db.keyring_password("postgresql://reviewday@db.example:5433/reviews") is None
    assert main(["team-password", "postgresql://reviewday@db.example:5433/reviews", "--forget"]) == 0
    assert "No password was kept" in capsys.readouterr().out


def test_team_password_refuses_a_url_holding_a_password_and_a_missing_variable(ring, capsys):
    assert main(["team-password", f"postgresql://reviewday:{SECRET}@db.example/reviews"]) == 2
    err = capsys.readouterr().err
    assert err == "reviewday: Leave the password out of the address; this command asks for it.\n"
    assert main(["team-password", "postgresql://reviewday@db.example/reviews", "--password-env", "NOPE_X"]) == 2
    assert capsys.readouterr().err == "reviewday: The environment variable NOPE_X is not set.\n"
    assert ring.entries == {}


def test_no_usable_keyring_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("TEAM_PW", SECRET)
    # The test session's keyring backend is keyring.backends.fail.Keyring: nothing can be kept.
    assert main(["team-password", "postgresql://reviewday@db.example/reviews", "--password-env", "TEAM_PW"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reviewday: The system keyring could not keep the password (")
    assert "use PGPASSWORD or ~/.pgpass instead." in err and SECRET not in err
    assert server_db.keyring_password("postgresql://reviewday@db.example/reviews") is None


# The window's start-up ---------------------------------------------------------------------


def test_the_window_uses_the_team_database_setting(tmp_path):
    write_settings(tmp_path, database_url=REFUSED)
    started = run_app("--exit-when-ready", config_home=tmp_path)
    assert started.returncode == 2
    assert started.stderr == ("reviewday: Cannot open the team database reviews on 127.0.0.1:1: the server is "
                              "not running or refuses connections; check the address and port.\n")


def test_db_wins_over_the_team_database_setting(tmp_path):
    write_settings(tmp_path, database_url=REFUSED)
    seeded = run_app("demo", "--db", str(tmp_path / "here.sqlite3"), config_home=tmp_path,
                     REVIEWDAY_PASSPHRASE="a long enough passphrase")
    assert seeded.returncode == 0, seeded.stderr
    opened = run_app("--db", str(tmp_path / "here.sqlite3"), "--exit-when-ready", config_home=tmp_path,
                     REVIEWDAY_PASSPHRASE="a long enough passphrase")
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "ready"


@needs_server
def test_the_window_opens_on_the_team_database(tmp_path, postgres_test_url):
    from app.services.demo import seed_demo
    from app.services.store import Store

    store = Store.open(postgres_test_url)
    try:
        review_id = seed_demo(store)
    finally:
        store.close()
    write_settings(tmp_path, database_url=postgres_test_url)
    opened = run_app("--review", str(review_id), "--exit-when-ready", config_home=tmp_path)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "ready"


@needs_server
def test_a_password_kept_in_the_keyring_opens_the_team_database(ring, postgres_test_url, monkeypatch, capsys):
    password = os.environ.get("PGPASSWORD")
    if not password:
        pytest.skip("the test server's password is not in PGPASSWORD")
    from app.services.store import Store

    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    server_db.keep_password(postgres_test_url, password)
    Store.open(postgres_test_url).close()
    assert main(["team-check", postgres_test_url]) == 0
    assert "the schema is up to date, 0 reviews." in capsys.readouterr().out
