"""Template context: the user's role and its navigation."""

from core.i18n import offered_languages
from core.navigation import nav_for
from core.roles import role_of


def role(request):
    """Expose `role` and `nav` to every template."""
    user_role = role_of(getattr(request, "user", None))
    return {"role": user_role, "nav": nav_for(user_role)}


def languages(request):
    """`offered_languages`: what the footer's picker and the account page offer (core.i18n)."""
    return {"offered_languages": offered_languages()}
