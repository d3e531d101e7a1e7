"""Helpers for tests: a portal session for a person, as the sign-in would leave it."""

from __future__ import annotations

from typing import Any

from sendcase.portal.access import PORTAL_PERSON
from sendcase.portal.models import ExternalPerson


def portal_login(client: Any, person: ExternalPerson) -> Any:
    """Sign `person` in to the portal (for tests of the pages; test_views_sign_in.py signs in
    through the provider)."""
    session = client.session
    session[PORTAL_PERSON] = person.pk
    session.save()
    return client
