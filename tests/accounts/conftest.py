from __future__ import annotations

import pytest

from sendcase.accounts.models import User


@pytest.fixture
def staff_admin(admin_user: User) -> User:
    """The administrator, with the staff status the Django admin asks for."""
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    return admin_user
