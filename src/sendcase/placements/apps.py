from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "sendcase.placements"
    label = "placements"

    def ready(self) -> None:
        # The header link to the settings register, for the people who may keep it (those who
        # may use the SEN2 screens): sendcase_nav asks apps to add their own entry.
        from sendcase.accounts.roles import (
            RETURNS_ROLES,  # in ready(): the app registry is loaded only now
        )
        from sendcase.core.templatetags.sendcase_nav import NAV_ITEMS

        entry = ("Settings register", "placements:settings", tuple(RETURNS_ROLES))
        if entry not in NAV_ITEMS:
            NAV_ITEMS.append(entry)
