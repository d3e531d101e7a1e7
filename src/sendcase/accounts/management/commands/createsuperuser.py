"""Django's `createsuperuser`, with the password rules also when the password comes from
DJANGO_SUPERUSER_PASSWORD (Django checks them only when it asks at the prompt)."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sendcase.accounts.models import User


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password:
            username = options.get("username") or os.environ.get("DJANGO_SUPERUSER_USERNAME")
            email = options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
            candidate = User(username=username or "", email=email or "")
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        super().handle(*args, **options)
