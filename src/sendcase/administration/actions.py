"""An administrator's everyday changes: staff, teams, the council's extra holidays and its local
targets. Each is one audited action in one transaction.

Side effects: a change to the extra holidays or a local target changes how deadlines are
counted, so every open case's deadlines are computed again and stored (casework.domain.refresh);
the audit entry says how many cases that was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sendcase.accounts.models import Role, Team, User
from sendcase.casework.domain.refresh import refresh_all
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.models import ExtraHoliday, LocalTargetSetting
from sendcase.statutory.dates import format_date

STAFF_FIELDS = ("first_name", "last_name", "email", "job_title", "role", "team", "is_active")
DETAIL_FIELDS = ("first_name", "last_name", "email", "job_title")


class AdminRefused(Exception):
    """A change an administrator may not make, in plain words."""


def _changes(obj: Any, fields: dict[str, Any]) -> dict[str, tuple[str, str]]:
    out = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old != new:
            out[name] = (str(old if old is not None else ""), str(new if new is not None else ""))
    return out


@transaction.atomic
def add_staff(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    role: str,
    team: Team | None,
) -> User:
    """A new member of staff. They have no password until they set one through "Forgotten your
    password?" (a link by email), and enrol a second factor with a code from an administrator,
    or sign in through the council's identity provider where it is set up."""
    if User.objects.filter(username__iexact=username).exists():
        raise AdminRefused(f"There is already a member of staff with the username {username}")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        role=role,
        team=team,
    )
    user.set_unusable_password()
    user.save()  # audited by accounts/signals.py ("Created the account ...")
    return user


@transaction.atomic
def change_staff(user: User, *, actor: Actor, **fields: Any) -> dict[str, tuple[str, str]]:
    """Change a member of staff's details, role, team or whether they may sign in. An
    administrator cannot take away their own role or access (so the council is never left
    without one by a slip)."""
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"not a staff field: {sorted(unknown)}")
    me = user_of(actor)
    if me is not None and me.pk == user.pk:
        if fields.get("is_active") is False:
            raise AdminRefused("You cannot stop your own account from signing in")
        if "role" in fields and fields["role"] != Role.ADMINISTRATOR:
            raise AdminRefused("You cannot take away your own administrator role")
    changed = _changes(user, fields)
    if not changed:
        return changed
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    # Role, team and whether they may sign in are audited by accounts/signals.py, whichever
    # screen changes them; the details below are audited here.
    details = {k: v for k, v in changed.items() if k in DETAIL_FIELDS}
    if details:
        words = "; ".join(
            f"{k.replace('_', ' ')}: {a or '-'} to {b or '-'}" for k, (a, b) in details.items()
        )
        audit(
            actor,
            "update",
            user,
            f"Staff details changed: {user.username}: {words}",
            payload={"changes": details},
        )
    return changed


@transaction.atomic
def save_team(team: Team | None, *, actor: Actor, name: str, area: str) -> Team:
    """Add a team, or rename it or change the area it covers."""
    clash = Team.objects.filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise AdminRefused(f"There is already a team called {name}")
    # Teams are audited by accounts/signals.py, whichever screen changes them.
    if team is None:
        return Team.objects.create(name=name, area=area)
    if _changes(team, {"name": name, "area": area}):
        team.name, team.area = name, area
        team.save(update_fields=["name", "area"])
    return team


def _recount(today: dt.date | None) -> int:
    return refresh_all(today=today)


@transaction.atomic
def add_holiday(
    *, actor: Actor, date: dt.date, name: str, today: dt.date | None = None
) -> tuple[ExtraHoliday, int]:
    """A one-off day the council is closed (England's bank holidays are already known). Returns
    the holiday and how many open cases had their deadlines counted again."""
    if ExtraHoliday.objects.filter(date=date).exists():
        raise AdminRefused(f"{format_date(date)} is already an extra holiday")
    holiday = ExtraHoliday.objects.create(date=date, name=name)
    cases = _recount(today)
    audit(
        actor,
        "create",
        holiday,
        f"Extra holiday added: {format_date(date)} ({name}); deadlines of {cases} open cases counted again",
    )
    return holiday, cases


@transaction.atomic
def remove_holiday(holiday: ExtraHoliday, *, actor: Actor, today: dt.date | None = None) -> int:
    summary = f"{format_date(holiday.date)} ({holiday.name})"
    pk = holiday.pk
    holiday.delete()
    cases = _recount(today)
    audit(
        actor,
        "delete",
        None,
        f"Extra holiday removed: {summary}; deadlines of {cases} open cases counted again",
        payload={"holiday_id": pk},
    )
    return cases


@transaction.atomic
def set_local_target(
    key: str,
    *,
    actor: Actor,
    enabled: bool,
    length_days: int | None,
    today: dt.date | None = None,
) -> int:
    """Turn a local target (guidance, not a duty) on or off, or set its own length in days
    (empty: the length the guidance gives). Returns how many open cases were counted again."""
    row, _ = LocalTargetSetting.objects.get_or_create(key=key)
    changed = _changes(row, {"enabled": enabled, "length_days": length_days})
    if not changed:
        return 0
    row.enabled, row.length_days = enabled, length_days
    row.save(update_fields=["enabled", "length_days"])
    cases = _recount(today)
    audit(
        actor,
        "update",
        row,
        f"Local target {key} changed; deadlines of {cases} open cases counted again",
        payload={"changes": changed},
    )
    return cases


@transaction.atomic
def set_warning_window(days: int, *, actor: Actor, today: dt.date | None = None) -> int:
    """How many days before a deadline the work queue starts to say it is due soon."""
    row, _ = LocalTargetSetting.objects.get_or_create(key="warning_window")
    if row.warning_days == days:
        return 0
    old = row.warning_days
    row.warning_days = days
    row.save(update_fields=["warning_days"])
    cases = _recount(today)
    audit(
        actor,
        "update",
        row,
        f"Due-soon warning changed to {days} days; deadlines of {cases} open cases counted again",
        payload={"changes": {"warning_days": [old, days]}},
    )
    return cases
