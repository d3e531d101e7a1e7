"""Fixtures for letters and documents: a signed-in client for a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sendcase.accounts.testing import verified_login


@pytest.fixture
def signed_in(db: None) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        return verified_login(Client(), user)

    return make
