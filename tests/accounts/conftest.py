from __future__ import annotations

import pytest

from sendcase.accounts.models import User


@pytest.fixture
def staff_admin(admin_user: User) -> User:
    """The administrator as a superuser, with the staff status the Django admin asks for
    (Django's admin is kept for superusers; administrators use sendcase.administration)."""
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return admin_user
