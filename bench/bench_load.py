"""Load: 100 signed-in officers working at once, against gunicorn on PostgreSQL.

Run: .venv/bin/python bench/bench_load.py [--users 100] [--minutes 2] [--port 8345]
(or through `make bench`, on PostgreSQL, after bench_demo.py has built the council).

1. If the database has no cases, builds the demo council (`sendcase demo`).
2. Gives 100 officer accounts (bench.officer001 ...), spread over the council's teams, a
   password and an authenticator key, so each simulated officer signs in as staff do: a
   password, then a TOTP code (computed from the key, as an app would).
3. Starts gunicorn with the production settings (DEBUG off, the worker settings the README's
   Production section gives) on 127.0.0.1.
4. Runs locust headless (bench/locust_officers.py): officers arrive 1 a second, then, once the
   last has signed in, all work for the given minutes: the team's queue, a case page, saving
   a step, 5 s of think time between.
Prints the errors and the p50 and p95 response times of the steady state (sign-in apart), and
fails above 0 errors or with a p95 of 500 ms or more. The load generator runs on the same
host as the server and the database, so the figures include its share of the CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# Production worker settings (README, Production): 2 workers per core, plus one.
WORKERS = 2 * (os.cpu_count() or 1) + 1
THREADS = 1
TIMEOUT = 30
SPAWN_RATE = 1  # officers arriving per second (signing in hashes a password: ~0.5 s of CPU)
P95_LIMIT_MS = 500


def prepare_accounts(users: int, path: Path) -> int:
    """Officer accounts with a known password and authenticator key; returns the case count."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sendcase.accounts.models import Role, Team, User
    from sendcase.casework.models import Case

    teams = list(Team.objects.filter(cases__isnull=False).distinct().order_by("pk"))
    if not teams:
        raise SystemExit("The council has no team with cases: build it with `sendcase demo`.")
    password = secrets.token_urlsafe(16)
    hashed = make_password(password)  # hashed once: 100 hashes would take a minute
    accounts = []
    for n in range(1, users + 1):
        username = f"bench.officer{n:03d}"
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "password": hashed,
                "role": Role.CASE_OFFICER,
                "team": teams[n % len(teams)],
                "first_name": "Bench",
                "last_name": f"Officer {n}",
                "is_active": True,
                # Synthetic accounts of the demo council: marked as demo logins, so that the
                # benches that rebuild or extend the demo (bench_demo, bench_upload) still
                # recognise the database as a demo database after this one has run.
                "is_demo": True,
            },
        )
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
        accounts.append({"username": username, "password": password, "key_hex": device.key})
    path.write_text(json.dumps(accounts), encoding="utf-8")
    return Case.objects.count()


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or busy starting (URLError is an OSError)
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def show(label: str, s: dict[str, Any]) -> None:
    print(
        f"  {label:<32} {s['requests']:>6} requests  {s['errors']:>3} errors  "
        f"p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  max {s['max_ms']} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", 8345)))
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("The load bench runs against PostgreSQL: set DATABASE_URL (make bench does).")
        return 1
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendcase.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "DEBUG": "false",
        "SECURE_COOKIES": "false",  # plain HTTP on loopback; production is behind TLS
        "ALLOWED_HOSTS": "127.0.0.1",
        "SENDCASE_DEMO": "true",  # `demo --if-empty` builds the council on an empty database
        "SENDCASE_DEMO_SKIP_2FA": "false",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "SECURE_HSTS_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    with tempfile.TemporaryDirectory(prefix="loadbench") as tmp:
        work = Path(tmp)
        env["STATIC_ROOT"] = str(work / "static")
        sendcase = [sys.executable, "-m", "sendcase.cli"]
        subprocess.run([*sendcase, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run(
            [*sendcase, "demo", "--if-empty"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run([*sendcase, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
        accounts = work / "accounts.json"
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG")})
        cases = prepare_accounts(options.users, accounts)
        ramp = options.users / SPAWN_RATE
        print(
            f"Load bench: {os.cpu_count()} cores shared by gunicorn, PostgreSQL and locust; "
            f"{cases:,} cases; {options.users} officers arriving {SPAWN_RATE} a second "
            f"({ramp:.0f} s), then {options.minutes:g} min of work, 5 s think time"
        )
        print(f"gunicorn: --workers {WORKERS} --threads {THREADS} --timeout {TIMEOUT}")
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "sendcase.wsgi",
                "--bind",
                f"127.0.0.1:{options.port}",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--timeout",
                str(TIMEOUT),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        results = work / "results.json"
        try:
            wait_for(f"http://127.0.0.1:{options.port}/health", 60)
            subprocess.run(
                [
                    str(VENV_BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locust_officers.py"),
                    "--headless",
                    "--users",
                    str(options.users),
                    "--spawn-rate",
                    str(SPAWN_RATE),
                    # locust stops itself once everyone has worked for the given minutes
                    # after the last sign-in; this is only a safety net.
                    "--run-time",
                    f"{int(ramp + options.minutes * 60) + 600}s",
                    "--host",
                    f"http://127.0.0.1:{options.port}",
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "10",
                ],
                env={
                    **env,
                    "BENCH_LOAD_ACCOUNTS": str(accounts),
                    "BENCH_LOAD_RESULTS": str(results),
                    "BENCH_LOAD_USERS": str(options.users),
                    "BENCH_LOAD_WORK_SECONDS": str(options.minutes * 60),
                },
                check=False,
                stdout=subprocess.DEVNULL,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        figures = json.loads(results.read_text(encoding="utf-8"))
    arriving, working = figures["arriving"], figures["working"]
    print("While officers arrive (signing in, and the first officers' work):")
    for name, s in arriving["by_page"].items():
        show(name, s)
    print("Working (steady state, all officers signed in):")
    for name, s in working["by_page"].items():
        show(name, s)
    show("ALL", working["all"])
    if "seconds" in working:
        print(f"  over {working['seconds']} s: {working['per_second']} requests a second")
    errors = arriving["all"]["errors"] + working["all"]["errors"]
    p95 = working["all"]["p95_ms"]
    failed = errors > 0 or p95 is None or p95 >= P95_LIMIT_MS
    print(
        f"Target: 0 errors and p95 under {P95_LIMIT_MS} ms: {errors} errors, p95 {p95} ms "
        f"-> {'FAILED' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
