"""Human labels of the scenarios' names, translated when shown; channels come from core.labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.labels import label_of


class ScenarioLabel(models.TextChoices):
    """The three scenarios of DOMAIN.md, as people read them."""

    FIRST_RANKED = "first_ranked", _("First-ranked proposal alone")
    CHEAPEST_SPLIT = "cheapest_split", _("Cheapest split")
    COMPOSED = "composed", _("Your split")


def scenario_label(code: str) -> str:
    """A scenario's name in the reader's language."""
    return str(ScenarioLabel(code).label)


def channel_label(code: str) -> str:
    """A channel's name in the reader's language (an unknown code as it is): the one label
    registry's (core.labels), so scenarios name channels as every other page does."""
    return label_of(code)
