"""`sendcase demo-sign-in`: the loopback provider's directory for the demo council, and the
demo's sign-in logins (staff by single sign-on, a parent, a young person, a SENCO and an
educational psychologist), each linked to demo cases. `make demo` runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sendcase.demo import sign_in
from sendcase.demo.load import DEMO_PASSWORD, NotADemoDatabase


class Command(BaseCommand):
    help = "Write the demo OpenID Connect provider's directory and print the demo sign-in logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--directory", type=Path, required=True, help="the JSON file to write")
        parser.add_argument("--issuer", required=True, help="the provider's issuer URL")
        parser.add_argument("--staff-secret-file", type=Path, required=True)
        parser.add_argument("--portal-key-file", type=Path, required=True)
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="SENDcase's address")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                directory, logins = sign_in.prepare(
                    issuer=options["issuer"].rstrip("/"),
                    staff_secret=Path(options["staff_secret_file"]).read_text().strip(),
                    portal_key_pem=Path(options["portal_key_file"]).read_text(),
                    portal_url=options["url"].rstrip("/") + "/portal/",
                    sendcase_url=options["url"],
                )
        except (OSError, NotADemoDatabase) as exc:
            raise CommandError(str(exc)) from None
        sign_in.write(Path(options["directory"]), directory)
        url = options["url"].rstrip("/")
        self.stdout.write(
            f"\nSign in through the demo identity provider ({options['issuer']}), "
            f"password for all: {DEMO_PASSWORD}"
        )
        self.stdout.write(f"Staff: {url}/accounts/sign-in/ and 'Sign in with your council account'")
        for login in logins:
            if login.kind == "staff":
                self.stdout.write(f"  {login.username:<28} {login.what}")
        self.stdout.write(f"Families, schools and professionals: {url}/portal/")
        for login in logins:
            if login.kind == "portal":
                cases = ", ".join(login.cases) or "no cases"
                self.stdout.write(f"  {login.username:<28} {login.what}: {cases}")
