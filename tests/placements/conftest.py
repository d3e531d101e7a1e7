"""Fixtures for the settings register: a placeholder setting an import added, with placements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case
from sendcase.core.codes import SettingType
from sendcase.placements.models import Placement, Setting


@pytest.fixture
def superuser_officer(db: None) -> User:
    """A superuser whose role is case officer: the SEN2 rule goes by role, not by Django perms."""
    return User.objects.create_user(
        username="super", password="x", role=Role.CASE_OFFICER, is_superuser=True
    )


@pytest.fixture
def make_placeholder(db: None) -> Callable[[str], Setting]:
    """A placeholder setting for a URN, as the SEN2 import makes one (returns/importer.py)."""

    def make(urn: str) -> Setting:
        return Setting.objects.create(
            name=f"Setting with URN {urn} (not in the register)",
            urn=urn,
            kind=Setting.Kind.MAINTAINED_MAINSTREAM,
            phase="all_through",
            placeholder=True,
        )

    return make


@pytest.fixture
def placeholder(make_placeholder: Callable[[str], Setting]) -> Setting:
    return make_placeholder("123456")


@pytest.fixture
def place(officer: User) -> Callable[..., Placement]:
    """A child's placement in a setting as an import writes it: "other" unless a flag says
    resourced provision or SEN unit."""

    def make(setting: Setting, *, resourced: bool = False, unit: bool = False) -> Placement:
        case = build_case(stage="plan", officer=officer, weeks_ago=40)
        return Placement.objects.create(
            plan=case.plan,
            setting=setting,
            entry_date=dt.date(2025, 9, 1),
            resourced_provision=resourced,
            sen_unit=unit,
            setting_type=SettingType.RESOURCED if resourced or unit else SettingType.OTHER,
        )

    return make
