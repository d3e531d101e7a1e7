"""The SEN2 screens' page guards. The rules they ask (who may use the SEN2 screens, who may
download the whole return) live with every other staff role rule in sendcase.accounts.roles."""

from __future__ import annotations

from sendcase.accounts.roles import may_download_return, may_use_returns, role_guard

returns_access = role_guard(may_use_returns)
download_access = role_guard(may_download_return)
