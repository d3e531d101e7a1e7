from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sendcase.finance"
    label = "finance"

    def ready(self) -> None:
        # The header link to the finance view, for the people who see the money.
        from sendcase.accounts.roles import MONEY_ROLES  # noqa: PLC0415 - models load first
        from sendcase.core.templatetags.sendcase_nav import NAV_ITEMS  # noqa: PLC0415 - apps are ready

        entry = ("Finance", "finance:overview", tuple(MONEY_ROLES))
        if entry not in NAV_ITEMS:
            NAV_ITEMS.append(entry)
