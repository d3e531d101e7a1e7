"""Worker processes for the parallel refresh (see refresh.py).

This module imports nothing from Django at the top: a spawned worker unpickles these
functions before Django is set up, and sets it up in `start`.
"""

from __future__ import annotations

import os
from typing import Any


def start(settings_module: str, database: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django  # not at the top: a spawned worker imports this module before Django is set up
    from django.conf import settings  # after django.setup(): a spawned worker starts without Django

    django.setup()
    settings.DATABASES["default"]["NAME"] = database  # the test database, under the tests


def run(args: tuple[Any, ...]) -> None:
    # Not at the top: Django is set up in `start`, after this module is imported.
    from django.db import connections

    from sendcase.casework.domain.refresh import (
        refresh_batch,  # after django.setup(): it imports the models
    )

    try:
        refresh_batch(*args)
    finally:
        connections.close_all()
