from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sendcase.accounts.testing import verified_login


@pytest.fixture
def client_for(db: None) -> Callable[[Any], Client]:
    """A test client signed in (with a second factor) as the given person."""

    def make(user: Any) -> Client:
        return verified_login(Client(), user)

    return make


def pytest_collection_modifyitems(config, items):
    # WhiteNoise warns that STATIC_ROOT (var/static) does not exist until collectstatic runs;
    # that is not what these tests are about (reported to the settings owner).
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))
