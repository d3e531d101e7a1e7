"""`sendcase letter-status`: ask GOV.UK Notify how each letter and email still on its way got on,
and keep the answer on the case's correspondence (schedule it every hour or so)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sendcase.documents.actions import refresh_deliveries


class Command(BaseCommand):
    help = "Update the delivery status of letters and emails sent through GOV.UK Notify."

    def handle(self, *args: Any, **options: Any) -> None:
        changed, asked = refresh_deliveries()
        self.stdout.write(f"Asked Notify about {asked} messages; {changed} changed status.")
