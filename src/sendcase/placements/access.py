"""The access helpers for the register of settings. Missing and forbidden both answer 404.

The register is completed from the SEN2 *Records to fix* list, so the people who may use
the SEN2 screens (data officers, heads of service, administrators, team managers: their
rule in sendcase.returns.access, not a copy of it) may read it. Only data officers and
administrators change it: heads of service and team managers read casework, and settings
are council-wide records.
"""

from __future__ import annotations

from django.http import Http404

from sendcase.accounts.models import Role
from sendcase.core.actors import Actor
from sendcase.placements.models import Setting
from sendcase.returns.access import may_use_returns, returns_access

# Signed-in staff who may read the register; anyone else gets 404.
register_access = returns_access

KEEPERS = (Role.DATA_OFFICER, Role.ADMINISTRATOR)


def may_keep_register(user: Actor | None) -> bool:
    return may_use_returns(user) and getattr(user, "role", None) in KEEPERS


def get_setting_for_user(user: Actor | None, pk: int) -> Setting:
    """The setting, if this person may change the register."""
    setting = Setting.objects.filter(pk=pk).first()
    if setting is None or not may_keep_register(user):
        raise Http404("No setting found")
    return setting
