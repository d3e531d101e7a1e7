"""`sendcase enrolment-code USERNAME`: a one-time code for setting up the second factor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts import actions
from sendcase.accounts.backends import demo_login_refused
from sendcase.accounts.models import User
from sendcase.core.actors import SystemActor

ME = SystemActor("sendcase enrolment-code")


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code so a member of staff can set up their authenticator "
        "app (only its hash is kept). --reset first removes their authenticator and recovery "
        "codes, for a lost phone."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--hours",
            default=str(settings.SENDCASE_ENROLMENT_CODE_HOURS),
            help=f"How long the code works (default {settings.SENDCASE_ENROLMENT_CODE_HOURS})",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove their authenticator and recovery codes first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            hours = int(options["hours"])
        except ValueError:
            raise CommandError(
                f"--hours must be a whole number, not {options['hours']!r}"
            ) from None
        if not 1 <= hours <= 24 * 14:
            raise CommandError("--hours must be between 1 and 336 (14 days)")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"There is no member of staff with the username {options['username']!r}"
            )
        if demo_login_refused(user):
            raise CommandError(
                f"{user.username} is a demo login, and this is not a demo installation"
            )
        if options["reset"]:
            actions.reset_second_factor(user, actor=ME)
        elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CommandError(
                f"{user.username} has already set up an authenticator app. To replace it "
                "(a lost or new phone), run this again with --reset."
            )
        code = actions.issue_enrolment_code(user, actor=ME, hours=hours)
        self.stdout.write(
            f"Enrolment code for {user.username}: {code}\n"
            f"It works once, for {hours} hours. Give it to them yourself, not by email."
        )
