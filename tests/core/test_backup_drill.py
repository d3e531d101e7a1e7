"""The backup drill in docs/operations.md, performed: dump, drop, restore, compare every table.

A small demo council is loaded (committed, so pg_dump sees it), every table's row count and a
checksum of all its rows are recorded, the database is dumped with `pg_dump -Fc`, DROPPED,
created again empty and restored with `pg_restore`; then every table must have the same count
and checksum as before. PostgreSQL only: SQLite is the demo's embedded database, not what a
council runs, and its backup is a copy of one file.
"""

from __future__ import annotations

import glob
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections

from sendcase.casework.models import Case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the backup drill uses pg_dump and pg_restore: it runs on PostgreSQL (make test does)",
)


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore from the server's own bindir (the newest installed), else PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major)
    path = found[-1] if found else shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed (scripts/system-packages.sh installs it)")
    return path


def _major(path: str) -> int:
    return int(Path(path).parts[-3])


def _fingerprint(conninfo: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Every table in the schema: (rows, md5 of all its rows as text, in a fixed order)."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(**conninfo) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            row = conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM \"{table}\" t"  # noqa: S608 - names from pg_tables
            ).fetchone()
            assert row is not None
            out[table] = (row[0], row[1])
    return out


def _conninfo(name: str | None = None) -> dict[str, Any]:
    s = connection.settings_dict
    info = {
        "host": s["HOST"] or "127.0.0.1",
        "port": s["PORT"] or 5432,
        "user": s["USER"],
        "dbname": name or s["NAME"],
    }
    if s["PASSWORD"]:
        info["password"] = s["PASSWORD"]
    return info


def _args(info: dict[str, Any]) -> list[str]:
    return ["-h", str(info["host"]), "-p", str(info["port"]), "-U", info["user"]]


@pytest.mark.django_db(transaction=True)
def test_dump_drop_restore_gives_back_every_row(tmp_path: Path, settings: Any) -> None:
    settings.SENDCASE_DEMO = True  # the drill loads a small demo council
    call_command(
        "demo", plans="30", seed="7", years="3", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Case.objects.exists()
    info = _conninfo()
    before = _fingerprint(info)
    assert len(before) > 20 and sum(rows for rows, _ in before.values()) > 1000

    dump = tmp_path / "sendcase.dump"
    subprocess.run(  # noqa: S603 - the server's own tools, fixed arguments
        [_pg_tool("pg_dump"), "-Fc", "--no-owner", *_args(info), "-f", str(dump), info["dbname"]],
        check=True,
    )
    assert dump.stat().st_size > 0

    connections.close_all()
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
        # FORCE: a connection another test left open (a worker thread's) must not block the
        # drill; a council restoring would stop the application first (docs/operations.md).
        admin.execute(f'DROP DATABASE "{info["dbname"]}" WITH (FORCE)')
        gone = admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [info["dbname"]]
        ).fetchone()
        assert gone == (0,)
        admin.execute(f'CREATE DATABASE "{info["dbname"]}"')
    assert _fingerprint(info) == {}  # a new, empty database

    subprocess.run(  # noqa: S603
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            *_args(info),
            "-d",
            info["dbname"],
            str(dump),
        ],
        check=True,
    )
    after = _fingerprint(info)
    assert after.keys() == before.keys()
    different = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert different == {}
    assert Case.objects.count() == before["casework_case"][0]  # and Django reads it again
