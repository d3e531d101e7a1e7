from __future__ import annotations

from tests.casework.conftest import client_for, date_data

__all__ = ["client_for", "date_data"]
