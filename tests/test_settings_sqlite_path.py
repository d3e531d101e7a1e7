"""The default SQLite database's folder is made when needed; a path that cannot be used is named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DEBUG="true")
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sendcase.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_migrate_makes_the_folder_of_a_new_sqlite_database(tmp_path: Path) -> None:
    db = tmp_path / "var" / "nested" / "sendcase.sqlite3"
    done = _run(f"sqlite:///{db}", "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr[-1500:]
    assert db.is_file()


def test_a_folder_that_cannot_be_made_is_named_with_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    db = blocker / "sendcase.sqlite3"  # its folder would have to be a file
    done = _run(f"sqlite:///{db}", "migrate", "--noinput", "-v", "0")
    assert done.returncode != 0
    assert str(db) in done.stderr and "DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr
