"""Who may open which page: rows come from the selectors, roles decide writes.

A vendor user asking for a buyer-only page, or for another vendor's row, gets the same 404 as
for a row that does not exist; a buyer-side user without the right to write gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from core.roles import BUYER_ROLES, Role, role_of

EVENT_WRITERS = frozenset({Role.PROCUREMENT, Role.ADMIN})
VENDOR_WRITERS = frozenset({Role.PROCUREMENT, Role.ADMIN})


def require_role(request) -> Role:
    """The user's role; users without one see nothing (404)."""
    role = role_of(request.user)
    if role is None:
        raise Http404
    return role


def require_buyer(request) -> Role:
    """A buyer-side role; anyone else gets a 404."""
    role = role_of(request.user)
    if role not in BUYER_ROLES:
        raise Http404
    return role


def require_writer(request, writers: frozenset[Role]) -> Role:
    """One of the writing roles: other buyers get a 403, vendors and the rest a 404."""
    role = require_buyer(request)
    if role not in writers:
        raise PermissionDenied
    return role


def require_vendor(request):
    """The vendor of a vendor user; anyone else gets a 404."""
    if role_of(request.user) != Role.VENDOR or request.user.vendor_id is None:
        raise Http404
    return request.user.vendor


def url_or_none(name: str, *args) -> str | None:
    """A page's URL, or None while that page does not exist (built by another part)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
