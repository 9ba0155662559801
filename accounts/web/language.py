"""The reader's language: the footer's picker and the account page's field save it on the user.

Django's `set_language` keeps the choice in a cookie (what an anonymous visitor has); for a
signed-in user the choice is also saved on `User.language`, so it follows them to another browser
and into their e-mails and reports (core.i18n), and config.locale puts it above Accept-Language.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services.users import user_language_set
from core.i18n import offered_languages, supported


def set_language(request):
    """Django's set_language (cookie, redirect to `next`), and the choice saved on the user."""
    response = django_set_language(request)
    chosen = supported(request.POST.get("language")) if request.method == "POST" else None
    if chosen and request.user.is_authenticated and response.status_code in (200, 302):
        user_language_set(user=request.user, language=chosen)
    return response


class LanguageForm(forms.Form):
    """The account page's language field: the offered languages, or the browser's."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("As my browser asks")),
            *[
                (code, translation.get_language_info(code)["name_local"])
                for code, _n in offered_languages()
            ],
        ]


@login_required
@require_POST
def account_language(request):
    """Save the language chosen on the account page; blank goes back to the browser's."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("account-tokens")
    language = form.cleaned_data["language"]
    user_language_set(user=request.user, language=language)
    response = redirect("account-tokens")
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )  # fmt: skip
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    messages.success(request, _("Language saved."))
    return response
