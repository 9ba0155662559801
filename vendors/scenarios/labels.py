"""Human labels of the scenarios' codes (names and channels), translated when shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioLabel(models.TextChoices):
    """The three scenarios of DOMAIN.md, as people read them."""

    FIRST_RANKED = "first_ranked", _("First-ranked proposal alone")
    CHEAPEST_SPLIT = "cheapest_split", _("Cheapest split")
    COMPOSED = "composed", _("Your split")


class ChannelLabel(models.TextChoices):
    """The support channels (core.channels), as people read them."""

    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    BACKOFFICE = "backoffice", _("Back office")


def scenario_label(code: str) -> str:
    """A scenario's name in the reader's language."""
    return str(ScenarioLabel(code).label)


def channel_label(code: str) -> str:
    """A channel's name in the reader's language (an unknown code as it is)."""
    try:
        return str(ChannelLabel(code).label)
    except ValueError:
        return code
