from __future__ import annotations

import pytest
from tests.casework.conftest import client_for, date_data

from sendcase.accounts.models import Role, User

__all__ = ["client_for", "date_data"]


@pytest.fixture
def ig(db: None) -> User:
    """The information governance officer."""
    return User.objects.create_user(
        username="ig",
        password="correct horse battery",
        role=Role.INFORMATION_GOVERNANCE,
        first_name="Ira",
        last_name="Gov",
    )
