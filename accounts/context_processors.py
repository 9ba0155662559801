"""Template context: the user's role and its navigation."""

from core.navigation import nav_for
from core.roles import role_of


def role(request):
    """Expose `role` and `nav` to every template."""
    user_role = role_of(getattr(request, "user", None))
    return {"role": user_role, "nav": nav_for(user_role)}
