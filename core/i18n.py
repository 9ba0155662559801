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


def offered_languages() -> list[tuple[str, str]]:
    """The languages a person may pick (footer, account page): English and every language
    whose catalogs are complete (settings.COMPLETE_LANGUAGES), in LANGUAGES' order."""
    complete = set(getattr(settings, "COMPLETE_LANGUAGES", [])) | {settings.LANGUAGE_CODE}
    return [(code, name) for code, name in settings.LANGUAGES if code in complete]


def supported(code: str | None) -> str | None:
    """`code` as one of LANGUAGES (`nl-BE` -> `nl`), or None when the product does not speak it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def accept_language(header: str | None) -> str | None:
    """The first supported language an `Accept-Language` header asks for (`*` asks nothing)."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            continue
        found = supported(code)
        if found:
            return found
    return None


def api_language(request, user) -> str | None:
    """An API answer's language (API.md): the `Accept-Language` the client sent, else the
    user's saved language, else None (the default)."""
    asked = accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))
    if asked:
        return asked
    return supported(getattr(user, "language", "") or "")


def translator_install() -> None:
    """Pure code's marked messages (core.texts) are shown in the active language from now on."""
    from core.texts import translator_set

    translator_set(translation.gettext)
