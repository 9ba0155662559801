from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("E-mail outbox")

    def ready(self) -> None:
        # core has no AppConfig; outbox is the lowest app, so every app above can rely on it.
        from core.i18n import translator_install

        translator_install()
