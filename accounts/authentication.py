"""`Authorization: Token <key>` against accounts.ApiToken: expiring, revocable keys."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.services.tokens import credentials_digest, key_digest, token_touch
from core.i18n import api_language


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token header, looked up by the key's SHA-256; expired or stale tokens answer 401."""

    model = ApiToken

    def authenticate(self, request):
        """DRF's check; then the answer speaks the client's language (Accept-Language), else the
        token user's saved one: the rule config.locale applies to session users."""
        found = super().authenticate(request)
        if found is not None:
            language = api_language(request, found[0])
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return found

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=key_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expires <= now:
            when = timezone.localtime(token.expires).strftime("%Y-%m-%d %H:%M %Z")
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(when)s; ask POST /api/v1/auth/token/ for a new one.")
                % {"when": when}
            )
        user = token.user
        if not user.is_active or token.credentials != credentials_digest(user):
            # Deactivated, or its password, role or vendor changed since the token was issued.
            token.delete()
            raise exceptions.AuthenticationFailed(
                _(
                    "This token was revoked: the user's password, role or access changed. "
                    "Ask POST /api/v1/auth/token/ for a new one."
                )
            )
        token_touch(token=token, now=now)
        return user, token
