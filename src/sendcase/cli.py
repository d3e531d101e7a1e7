"""The `sendcase` console command: this project's manage.py."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the settings now, to report a bad one plainly
    except ImproperlyConfigured as exc:
        sys.exit(f"sendcase: {exc}")

    execute_from_command_line(["sendcase", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
