"""Password sign-in for staff: Django's own check, and demo logins only in demo mode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

if TYPE_CHECKING:  # named only in annotations
    from sendcase.accounts.models import User
    from sendcase.core.actors import RequestUser


def demo_login_refused(user: RequestUser | None) -> bool:
    """A demo login (its password is published) outside demo mode: never let it in."""
    return bool(getattr(user, "is_demo", False)) and not settings.SENDCASE_DEMO


class StaffBackend(ModelBackend):
    def user_can_authenticate(self, user: RequestUser | None) -> bool:
        return super().user_can_authenticate(user) and not demo_login_refused(user)

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person with their team in the same query: every page's header names it."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("team").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
