"""Test people for every role, including outsiders who must be refused."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import settings as hypothesis_settings

from sendcase.accounts.models import Role, Team, User
from sendcase.casework.models import Child

# Property tests: no per-example time limit (CI shares 2 cores); on CI the examples are
# derived from the test itself, so a run is repeatable. Locally they are random each run.
hypothesis_settings.register_profile("sendcase", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "sendcase")


def _user(username: str, role: str, team: Team | None) -> User:
    return User.objects.create_user(
        username=username,
        password="correct horse battery",
        role=role,
        team=team,
        first_name=username.title(),
        last_name="Tester",
    )


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="North team")


@pytest.fixture
def other_team(db: None) -> Team:
    return Team.objects.create(name="South team")


@pytest.fixture
def officer(team: Team) -> User:
    return _user("officer", Role.CASE_OFFICER, team)


@pytest.fixture
def teammate(team: Team) -> User:
    return _user("teammate", Role.CASE_OFFICER, team)


@pytest.fixture
def manager(team: Team) -> User:
    return _user("manager", Role.TEAM_MANAGER, team)


@pytest.fixture
def head(db: None) -> User:
    return _user("head", Role.HEAD_OF_SERVICE, None)


@pytest.fixture
def admin_user(db: None) -> User:
    return _user("admin", Role.ADMINISTRATOR, None)


@pytest.fixture
def outsider(other_team: Team) -> User:
    """A case officer in another team: must not see this team's cases."""
    return _user("outsider", Role.CASE_OFFICER, other_team)


@pytest.fixture
def child(db: None) -> Child:
    return Child.objects.create(
        forename="Alex",
        surname="Example",
        date_of_birth=dt.date(2015, 3, 14),
        sex="M",
        postcode="HR1 1AA",
    )


@pytest.fixture
def twin(child: Child) -> Child:
    """Another child with the same name and date of birth: for running one child's process twice
    (a child has one EHC plan at a time, so the second run needs a child of its own)."""
    return Child.objects.create(
        forename=child.forename, surname=child.surname, date_of_birth=child.date_of_birth
    )


@pytest.fixture
def data_officer(db: None) -> User:
    return _user("data", Role.DATA_OFFICER, None)


@pytest.fixture
def finance(db: None) -> User:
    return _user("finance", Role.FINANCE_OFFICER, None)
