"""The user's own account pages: API tokens (issue, list, revoke) and the password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ApiToken
from accounts.services.tokens import token_issue, token_revoke, user_tokens_revoke


def _page(request, *, new_key: str | None = None):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created", "-id")
    page = Paginator(tokens, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/tokens.html", {"page": page, "new_key": new_key})


@login_required
def token_index(request):
    """The user's API tokens, newest first, each with a revoke button."""
    return _page(request)


@login_required
@require_POST
def token_new(request):
    """Issue a token and show its key, this once."""
    _token, key = token_issue(user=request.user)
    return _page(request, new_key=key)


@login_required
@require_POST
def token_delete(request, pk: int):
    """Revoke one of the user's own tokens (another user's is a 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("account-tokens")


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, which also revokes the user's API tokens."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account-tokens")

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = user_tokens_revoke(user=form.user)
        messages.success(
            self.request,
            _("Password changed. %(count)s API token(s) revoked; scripts need a new one.")
            % {"count": revoked},
        )
        return response
