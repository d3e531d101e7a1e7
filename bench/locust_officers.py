"""The officers of the load benchmark (bench/bench_load.py runs this with locust, headless).

Each simulated officer signs in as a real staff account (password, then a TOTP code computed
from the key bench_load.py gave the account's authenticator, as an app would), then works:
opens the team's queue, opens a case from it, and saves a step on it (a request for advice
where the case is being assessed, else a contact in the case's log), with 5 seconds' think
time between requests.

Every request is recorded here, not only in locust's own statistics, so that the figures are
exact (no histogram buckets) and sign-in (done once per officer while they arrive) is reported
apart from the steady-state work. The summary is written as JSON to BENCH_LOAD_RESULTS.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import time
from typing import Any

import gevent
from django_otp.oath import TOTP
from locust import HttpUser, constant, events, task

ACCOUNTS: list[dict[str, str]] = json.loads(
    open(os.environ["BENCH_LOAD_ACCOUNTS"], encoding="utf-8").read()  # noqa: SIM115
)
_next_account = itertools.count()
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
SEEN = re.compile(r'name="seen" value="([^"]*)"')
ERRORS = re.compile(r"<li>(?:<a [^>]*>)?([^<]+)")
STALE = "Someone else saved this case while you were working on it"

# (phase, name, milliseconds, failed) for every request. Signing in is "arriving"; the work
# is "working" only once every officer has signed in (the steady state), "arriving" before.
RECORDS: list[tuple[str, str, float, bool]] = []
USERS = int(os.environ["BENCH_LOAD_USERS"])
WORK_SECONDS = float(os.environ["BENCH_LOAD_WORK_SECONDS"])
SIGNED_IN = {"count": 0}
CLOCK = {"working_from": 0.0}


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, exception: Any, **_kw: Any) -> None:
    steady = SIGNED_IN["count"] >= USERS and not name.startswith("sign in")
    phase = "working" if steady else "arriving"
    RECORDS.append((phase, name, response_time, exception is not None))


def _percentile(values: list[float], pc: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pc / 100 * (len(ordered) - 1))))]


def _summary(rows: list[tuple[str, float, bool]]) -> dict[str, Any]:
    times = [ms for _name, ms, _failed in rows]
    return {
        "requests": len(rows),
        "errors": sum(failed for *_, failed in rows),
        "p50_ms": round(_percentile(times, 50), 1) if times else None,
        "p95_ms": round(_percentile(times, 95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }


@events.quitting.add_listener
def _write(environment: Any, **_kw: Any) -> None:
    out: dict[str, Any] = {}
    for phase in ("arriving", "working"):
        rows = [(n, ms, f) for p, n, ms, f in RECORDS if p == phase]
        names = sorted({n for n, _ms, _f in rows})
        out[phase] = {
            "all": _summary(rows),
            "by_page": {name: _summary([r for r in rows if r[0] == name]) for name in names},
        }
    if CLOCK["working_from"]:
        seconds = time.monotonic() - CLOCK["working_from"]
        out["working"]["seconds"] = round(seconds, 1)
        out["working"]["per_second"] = round(out["working"]["all"]["requests"] / seconds, 1)
    with open(os.environ["BENCH_LOAD_RESULTS"], "w", encoding="utf-8") as handle:
        json.dump(out, handle, indent=2)


def _today_parts(prefix: str) -> dict[str, str]:
    today = dt.date.today()
    return {
        f"{prefix}_day": str(today.day),
        f"{prefix}_month": str(today.month),
        f"{prefix}_year": str(today.year),
    }


class Officer(HttpUser):
    wait_time = constant(5)

    def on_start(self) -> None:
        account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.cases: list[str] = []
        # Cases still being assessed: the only ones on which advice can be requested.
        self.assessing: list[str] = []
        page = self.client.get("/accounts/sign-in/", name="sign in: page")
        self.client.post(
            "/accounts/sign-in/",
            {
                "csrfmiddlewaretoken": _token(page.text),
                "username": account["username"],
                "password": account["password"],
            },
            name="sign in: password",
        )
        page = self.client.get("/accounts/verify/", name="sign in: code page")
        key = bytes.fromhex(account["key_hex"])
        code = f"{TOTP(key, step=30, t0=0, digits=6).token():06d}"
        with self.client.post(
            "/accounts/verify/",
            {"csrfmiddlewaretoken": _token(page.text), "token": code, "next": "/cases/"},
            name="sign in: code",
            catch_response=True,
        ) as response:
            if "/accounts/" in response.url:
                response.failure(f"{account['username']} was not signed in")
        SIGNED_IN["count"] += 1
        if SIGNED_IN["count"] == USERS:  # everyone is in: the measured work starts now
            CLOCK["working_from"] = time.monotonic()
            runner = self.environment.runner
            assert runner is not None
            gevent.spawn_later(WORK_SECONDS, runner.quit)

    @task(1)
    def queue(self) -> None:
        with self.client.get("/cases/?officer=", name="queue", catch_response=True) as r:
            found = CASE_LINK.findall(r.text)
            if not found:
                r.failure("the queue listed no cases")
            self.cases = found or self.cases

    @task(2)
    def case(self) -> None:
        if not self.cases:
            return self.queue()
        self.client.get(f"/cases/{random.choice(self.cases)}/", name="case page")

    def assessing_cases(self) -> None:
        """The team's cases at assessment (the queue filtered by stage), once per officer."""
        r = self.client.get("/cases/?officer=&stage=assessing", name="queue: assessing")
        self.assessing = CASE_LINK.findall(r.text) or ["none"]

    @task(1)
    def save_step(self) -> None:
        if not self.cases:
            return self.queue()
        if not self.assessing:
            self.assessing_cases()
        if self.assessing != ["none"]:
            pk = random.choice(self.assessing)
            step = f"/cases/{pk}/steps/advice-requested/"
            form = self.client.get(step, name="step form", allow_redirects=False)
            if form.status_code == 200:
                data = {
                    "csrfmiddlewaretoken": _token(form.text),
                    "version": VERSION.search(form.text).group(1),  # type: ignore[union-attr]
                    "seen": SEEN.search(form.text).group(1),  # type: ignore[union-attr]
                    "kind": "health",
                    "provider": "Community paediatrics",
                    **_today_parts("requested_on"),
                }
                self._save(step, data, name="save step: advice requested")
                return None
        # No case at assessment in the team: record a contact on one of its cases instead.
        pk = random.choice(self.cases)
        form = self.client.get(f"/cases/{pk}/contacts/new/", name="step form")
        data = {
            "csrfmiddlewaretoken": _token(form.text),
            "channel": "phone",
            "direction": "in",
            "party": "Parent",
            "summary": "Asked how the assessment is going.",
            **_today_parts("contact_on"),
        }
        self._save(f"/cases/{pk}/contacts/new/", data, name="save step: contact")
        return None

    def _save(self, url: str, data: dict[str, str], *, name: str, again: bool = False) -> None:
        """Post the step. Saved: the case page follows. Someone else saved the case since the
        form was opened: the form comes back with their change and the latest version, and the
        officer saves again, as the page tells them to. Any other refusal is an error."""
        with self.client.post(url, data, name=name, catch_response=True) as r:
            if r.status_code == 200 and not r.url.rstrip("/").endswith(url.rstrip("/")):
                return
            if r.status_code == 200 and STALE in r.text and not again:
                r.success()
                latest = VERSION.search(r.text)
                fresh = {**data, "csrfmiddlewaretoken": _token(r.text)}
                if latest:
                    fresh["version"] = latest.group(1)
                    fresh["seen"] = SEEN.search(r.text).group(1)  # type: ignore[union-attr]
                self._save(url, fresh, name=f"{name} (again)", again=True)
                return
            problems = ERRORS.findall(r.text)
            r.failure(f"not saved ({r.status_code}): {' / '.join(problems)[:200]}")


def _token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""
