"""The `sendcase` console command: this project's manage.py."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(argv if argv is not None else sys.argv[1:])
    if args[:1] == ["clock"]:
        # The clock is a pure computation: it needs no settings, database or static files,
        # so it runs without Django (no SECRET_KEY, and nothing printed but its JSON).
        from sendcase.statutory.cli import main as clock_main  # only the clock needs it

        raise SystemExit(clock_main(args[1:]))
    if args[:1] == ["oidc-provider"]:
        # The test identity provider is its own process and needs nothing from Django either.
        from sendcase.oidc_provider.cli import main as provider_main  # only the provider needs it

        raise SystemExit(provider_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    from django.conf import (
        settings,  # only for Django's commands: `sendcase clock` runs without settings
    )
    from django.core.exceptions import ImproperlyConfigured  # as above
    from django.core.management import execute_from_command_line  # as above

    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the settings now, to report a bad one plainly
    except ImproperlyConfigured as exc:
        sys.exit(f"sendcase: {exc}")

    execute_from_command_line(["sendcase", *args])


if __name__ == "__main__":
    main()
