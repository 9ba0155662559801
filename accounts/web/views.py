"""Pages of the accounts app: the role's home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.panels import home_panels
from core.roles import role_of


@login_required
def home(request):
    """Land each role on the page that answers its first question."""
    role = role_of(request.user)
    template = f"accounts/home_{role.value}.html" if role else "accounts/home_none.html"
    return render(request, template, {"panels": home_panels(request, role)})
