"""The language a person reads in: their saved choice, else the product's default.

E-mails render in their recipient's language and reports in their requester's; both ask here,
so the rule is one. (`language` is the user's saved choice; an empty one means "not chosen".)"""

from collections.abc import Iterable
from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    """The language code `user` reads in (a supported one, else the default)."""
    chosen = (getattr(user, "language", "") or "").strip()
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def speaking(user) -> AbstractContextManager:
    """`with speaking(user):` renders text in `user`'s language."""
    return translation.override(language_of(user))


def by_language(users: Iterable) -> dict[str, list]:
    """The users grouped by the language they read in (one rendering per language)."""
    groups: dict[str, list] = {}
    for user in users:
        groups.setdefault(language_of(user), []).append(user)
    return groups


def translator_install() -> None:
    """Pure code's marked messages (core.texts) are shown in the active language from now on."""
    from core.texts import translator_set

    translator_set(translation.gettext)
