"""Children whose records reach the retention date at known times, built through the actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sendcase.casework.models import Child, FamilyContact

from .helpers import D, refused_case


@pytest.fixture
def make_child(db: None) -> Callable[..., Child]:
    def make(forename: str, surname: str, born: dt.date, **fields: Any) -> Child:
        child = Child.objects.create(
            forename=forename,
            surname=surname,
            date_of_birth=born,
            sex="F",
            postcode=fields.pop("postcode", "HR4 9ZZ"),
            address=fields.pop("address", "12 Orchard Row\nHereford"),
            **fields,
        )
        FamilyContact.objects.create(
            child=child,
            name=f"Jo {surname}",
            relationship="Mother",
            email=f"jo.{surname.lower()}@example.org",
            phone="07700 900123",
        )
        return child

    return make


@pytest.fixture
def due_child(make_child: Callable[..., Child], manager: Any) -> Child:
    """Born March 1990, refused in November 2014: due six years after the 25th birthday."""
    child = make_child("Morwenna", "Trelawney", D(1990, 3, 14), upn="A123456789012")
    refused_case(child, manager, D(2014, 10, 1), D(2014, 11, 1))
    return child


@pytest.fixture
def young_child(make_child: Callable[..., Child], manager: Any) -> Child:
    """Born June 2000, refused in 2020: not due until June 2031."""
    child = make_child("Perpetua", "Quigley", D(2000, 6, 21), upn="D123456789014")
    refused_case(child, manager, D(2020, 1, 10), D(2020, 2, 1))
    return child
