"""What the page benches share: Django set up for a bench, the council built if it is missing,
and a signed-in client whose pages are timed with plain static file storage."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Iterator
from typing import Any


def setup_django() -> None:
    """Settings for timing pages in this process (demo logins skip the second factor here)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    # The bench builds and signs in to the demo council: a demo installation.
    os.environ["SENDCASE_DEMO"] = "true"
    os.environ["SENDCASE_DEMO_SKIP_2FA"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # the test client speaks plain HTTP
    import django

    django.setup()


def ensure_council(plans: int) -> None:
    """Build the demo council with `sendcase demo --plans N` unless about that many plans exist."""
    from django.core.management import call_command
    from django.db import connection

    from sendcase.casework.models import Case, Stage

    if Case.objects.filter(stage=Stage.PLAN).count() >= plans * 0.9:
        return
    print(f"Building the demo council with about {plans:,} plans ...", flush=True)
    started = time.perf_counter()
    call_command(
        "demo", "--plans", str(plans), "--reset" if Case.objects.exists() else "--if-empty"
    )
    print(f"  built in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        # Planner statistics after a bulk load, as autovacuum would gather them in service.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def signed_in(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@contextlib.contextmanager
def plain_static() -> Iterator[None]:
    """Pages rendered without the manifest of collected static files."""
    from django.test.utils import override_settings

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


def timed_get(client: Any, url: str, n: int) -> tuple[float, float, int, str]:
    """GET the page n times after one warm-up: median and 90th percentile in ms, the queries one
    request makes, and the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: session, caches, template loading
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(url).content.decode()
    times.sort()
    p90 = times[max(int(len(times) * 0.9) - 1, 0)]
    return statistics.median(times), p90, len(ctx.captured_queries), body
