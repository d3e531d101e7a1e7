"""`make bench`: run every benchmark in order against DATABASE_URL (PostgreSQL under `make bench`).

Speed targets live here, not in timed tests. Each bench_*.py is a plain script that
prints its figures; this runner prints the machine it ran on first.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The clock needs no database; the demo bench builds the 20,000-plan council that
# the casework, reporting and SEN2 benches then measure.
ORDER = [
    "bench_clock.py",
    "bench_demo.py",
    "bench_casework.py",
    "bench_search.py",
    "bench_corrections.py",
    "bench_reporting.py",
    "bench_sen2.py",
    "bench_portal.py",
]


def main() -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendcase.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "PYTHONUNBUFFERED": "1",
        "SENDCASE_DEMO": "true",  # the bench builds the demo council
        # The benches speak plain HTTP on loopback (production is behind TLS).
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
    }
    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"Database: {env.get('DATABASE_URL', 'SQLite (default)').split('@')[-1]}")
    subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
    )
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(p for p in HERE.glob("bench_*.py") if p.name not in ORDER)
    failed = []
    for script in scripts:
        print(f"\n== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], env=env)
        print(f"   ({script.name} took {time.perf_counter() - started:.1f} s in all)")
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
