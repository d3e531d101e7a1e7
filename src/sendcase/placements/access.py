"""The access helpers for the register of settings. Missing and forbidden both answer 404.

Who may read the register (those who may use the SEN2 screens) and who may change it (data
officers and administrators) are staff role rules in sendcase.accounts.roles.
"""

from __future__ import annotations

from django.http import Http404

from sendcase.accounts.roles import may_keep_register
from sendcase.core.actors import Actor
from sendcase.placements.models import Setting
from sendcase.returns.access import returns_access

# Signed-in staff who may read the register; anyone else gets 404.
register_access = returns_access


def get_setting_for_user(user: Actor | None, pk: int) -> Setting:
    """The setting, if this person may change the register."""
    setting = Setting.objects.filter(pk=pk).first()
    if setting is None or not may_keep_register(user):
        raise Http404("No setting found")
    return setting
