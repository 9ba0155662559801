"""The language a request is answered in (docs/i18n.md).

Pages: the language a signed-in user saved (footer picker, account page) wins; before they chose,
Django's LocaleMiddleware has already taken the language cookie or the browser's
`Accept-Language`. The API (API.md): the `Accept-Language` the client sent, else the user's
saved language, else what LocaleMiddleware found (the cookie, else English). A token's user is
known only inside DRF, so accounts.authentication applies the same rule
(core.i18n.api_language) once it knows them.
"""

from django.utils import translation

from config.errors import API_PREFIX
from core.i18n import api_language, supported


class UserLanguageMiddleware:
    """Activate the language of the signed-in user (after LocaleMiddleware and the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX):
            chosen = api_language(request, user if _signed_in(user) else None)
        else:
            chosen = supported(getattr(user, "language", "")) if _signed_in(user) else None
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)
