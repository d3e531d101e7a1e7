"""The access helpers for the register of settings. Missing and forbidden both answer 404.

The register is completed from the SEN2 *Records to fix* list, so it is kept by the people
who may use the SEN2 screens (data officers, heads of service, administrators, team
managers): their rule in sendcase.returns.access, not a copy of it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from sendcase.placements.models import Setting
from sendcase.returns.access import may_use_returns, returns_access

# Signed-in staff who may keep the register; anyone else gets 404.
register_access = returns_access


def get_setting_for_user(user: Any, pk: int) -> Setting:
    """The setting, if this person may keep the register (reading and changing are one rule)."""
    setting = Setting.objects.filter(pk=pk).first()
    if setting is None or not may_use_returns(user):
        raise Http404("No setting found")
    return setting
