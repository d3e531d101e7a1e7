"""The money's page guards. Missing and forbidden both answer 404.

Who may see and change the money (finance officers and the head of service) is a staff role
rule in sendcase.accounts.roles.
"""

from __future__ import annotations

from sendcase.accounts.roles import may_keep_money, may_see_money, role_guard

money_access = role_guard(may_see_money)
keeper_access = role_guard(may_keep_money)
