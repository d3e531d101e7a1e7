"""SEN2 export and import for a large council: wall time and peak memory of each step.

Run: .venv/bin/python bench/bench_sen2.py [--plans 20000] [--year 2026]
(or through `make bench`, on PostgreSQL, after bench_demo.py has built the council).

1. If the database (DATABASE_URL) has no cases, builds a council with `sendcase demo`.
2. Exports the return (`sendcase sen2 export`) and validates it.
3. Imports it into an EMPTY database (a second PostgreSQL database, or a new SQLite
   file), then exports again from there and compares the two files.
Each step runs as its own process; its peak memory is that process's ru_maxrss
(os.wait4). Targets: export and import each under 60 seconds for 20,000 plans.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def env_for(database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendcase.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "PYTHONUNBUFFERED": "1",
        "SENDCASE_DEMO": "true",  # the bench builds the demo council
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(args: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """Run `sendcase ARGS`; return (seconds, peak MB, exit code)."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "sendcase.cli", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def case_count(env: dict[str, str]) -> int:
    code = "from sendcase.casework.models import Case; print(Case.objects.count())"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def correct_demo_artefacts(src: Path, dst: Path) -> int:
    """The synthetic council uses fake UKPRNs (9xxxxxxx; real ones start with 1) and may repeat a
    UPN. A real return would be corrected before import; the bench does the same, line by line."""
    seen: set[str] = set()
    changed = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        for raw in fin:
            line = raw.decode("utf-8")
            fixed = re.sub(r"<UKPRN>9", "<UKPRN>1", line)
            m = re.search(r"<UPN>([^<]+)</UPN>", fixed)
            if m:
                upn = m.group(1)
                if upn in seen:
                    n = len(seen)
                    upn = f"Z{n:011d}0"
                    fixed = fixed.replace(m.group(0), f"<UPN>{upn}</UPN>")
                seen.add(upn)
            changed += fixed != line
            fout.write(fixed.encode("utf-8"))
    return changed


def drop_persons(src: Path, dst: Path, persons: set[int]) -> None:
    """Copy the file without the given Persons (by position), line by line."""
    index, skipping = 0, False
    with src.open("rb") as fin, dst.open("wb") as fout:
        for raw in fin:
            if raw.strip() == b"<Person>":
                index += 1
                skipping = index in persons
            if not skipping:
                fout.write(raw)
            if raw.strip() == b"</Person>":
                skipping = False


def empty_database(database_url: str | None, workdir: Path) -> tuple[str, Any]:
    """A new, empty database next to the one in use; returns its URL and a cleanup function."""
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = database_url.rpartition("/")
        target = f"{name}_sen2bench"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}"')

        def drop() -> None:
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{target}"')

        return f"{base}/{target}", drop
    path = workdir / "empty.sqlite3"
    return f"sqlite:///{path}", lambda: None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=0, help="collection year (default: latest)")
    parser.add_argument("--keep", help="keep the exported file at this path")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    env = env_for(database_url)
    print(
        f"SEN2 bench: {os.cpu_count()} cores; database {(database_url or 'SQLite (default)').split('@')[-1]}"
    )
    with tempfile.TemporaryDirectory(prefix="sen2bench") as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "sendcase.cli", "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )  # noqa: S603
        if case_count(env) == 0:
            secs, mb, code = run(["demo", "--plans", str(options.plans)], env, work / "demo.log")
            print(
                f"  built the council with sendcase demo --plans {options.plans}: {secs:.1f} s (not a target)"
            )
            if code:
                print((work / "demo.log").read_text()[-2000:])
                return 1
        year = ["--year", str(options.year)] if options.year else []
        exported = work / "sen2.xml"
        secs, mb, code = run(
            ["sen2", "export", *year, "-o", str(exported)], env, work / "export.log"
        )
        summary = (work / "export.log").read_text().strip().splitlines()[-1]
        print(
            f"  export:   {secs:6.1f} s, peak {mb:6.0f} MB, {exported.stat().st_size / 1e6:.1f} MB file; {summary}"
        )
        if code:
            print((work / "export.log").read_text()[-2000:])
            return 1
        secs, mb, code = run(["sen2", "validate", str(exported)], env, work / "validate.log")
        problems = (work / "validate.log").read_text().count("\nline ") + (
            work / "validate.log"
        ).read_text().startswith("line ")
        print(f"  validate: {secs:6.1f} s, peak {mb:6.0f} MB, {problems} problems")
        to_import = work / "sen2-corrected.xml"
        changed = correct_demo_artefacts(exported, to_import)
        if changed:
            print(
                f"  corrected {changed} lines of demo artefacts (fake UKPRNs, repeated UPNs) before importing"
            )
        secs, mb, code = run(["sen2", "validate", str(to_import)], env, work / "validate2.log")
        bad = {
            int(m.group(1))
            for m in re.finditer(
                r"^line \d+: Person (\d+) ", (work / "validate2.log").read_text(), re.M
            )
        }
        if bad:
            kept = work / "sen2-importable.xml"
            drop_persons(to_import, kept, bad)
            to_import = kept
            print(f"  left out {len(bad)} children the demo generated with other problems:")
            for line in (work / "validate2.log").read_text().splitlines()[:5]:
                print(f"    {line[:200]}")
        if options.keep:
            Path(options.keep).write_bytes(to_import.read_bytes())
        url, drop = empty_database(database_url, work)
        try:
            empty = env_for(url)
            subprocess.run(
                [sys.executable, "-m", "sendcase.cli", "migrate", "--noinput", "-v", "0"],
                env=empty,
                check=True,
            )  # noqa: S603
            secs, mb, code = run(["sen2", "import", str(to_import)], empty, work / "import.log")
            log = (work / "import.log").read_text()
            print(
                f"  import:   {secs:6.1f} s, peak {mb:6.0f} MB; {log.strip().splitlines()[0] if log.strip() else ''}"
            )
            if code:
                print(log[-3000:])
                return 1
            again = work / "again.xml"
            secs, mb, code = run(
                ["sen2", "export", *year, "-o", str(again)], empty, work / "again.log"
            )
            strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
            same = strip.sub(b"", again.read_bytes()) == strip.sub(b"", to_import.read_bytes())
            print(
                f"  export from the imported database: {secs:.1f} s; same file apart from the timestamp: {'yes' if same else 'NO'}"
            )
        finally:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
