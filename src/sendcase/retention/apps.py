from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "sendcase.retention"
    label = "retention"

    def ready(self) -> None:
        # The header link to the records due for deletion, for the people who may erase them:
        # sendcase_nav asks apps to add their own entry.
        from sendcase.accounts.roles import (
            ERASERS,  # in ready(): the app registry is loaded only now
        )
        from sendcase.core.templatetags.sendcase_nav import NAV_ITEMS

        entry = ("Retention", "retention:due", tuple(ERASERS))
        if entry not in NAV_ITEMS:
            NAV_ITEMS.append(entry)
