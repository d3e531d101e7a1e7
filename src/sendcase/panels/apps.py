from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "sendcase.panels"
    label = "panels"

    def ready(self) -> None:
        # The header link to the panels, for the roles that may see them (sendcase_nav).
        from sendcase.accounts.roles import (
            PANEL_READERS,  # in ready(): the app registry is loaded only now
        )
        from sendcase.core.templatetags.sendcase_nav import NAV_ITEMS

        entry = ("Panels", "panels:index", PANEL_READERS)
        if entry not in NAV_ITEMS:
            NAV_ITEMS.append(entry)
