"""Content-Security-Policy: scripts and styles from this site only, no framing."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # Inline style attributes and the <style> inside the SVG charts.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# The offline Swagger UI page boots itself with an inline script.
DOCS_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """Add the policy to every response when CSP_ENABLED (the default in production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CSP_ENABLED and "Content-Security-Policy" not in response:
            docs = request.path.startswith("/api/docs/")
            response["Content-Security-Policy"] = DOCS_POLICY if docs else POLICY
        return response


# Form fields and multipart headers around the largest file a request may carry.
BODY_SLACK = 1_000_000


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than the largest upload allowed (plus
    room for the form around it) with 413, before anything reads the body.

    The KPI upload handler still stops a file at the limit when no Content-Length is sent
    (chunked bodies); this answers the common case without reading 50 MB to throw it away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.KPI_UPLOAD_MAX_BYTES + BODY_SLACK
        if declared <= limit:
            return self.get_response(request)
        message = (
            f"The request is {declared / 1_000_000:.1f} MB; files up to "
            f"{settings.KPI_UPLOAD_MAX_BYTES / 1_000_000:.1f} MB are accepted."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return render(request, "413.html", {"message": message}, status=413)


def client_ip(request) -> str:
    """The client's address as the trusted proxies saw it (django-axes keys lock-outs on it).

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored,
    since any client can write that header. With N proxies in front, each appends the address
    it received the request from, so the N-th entry from the right was written by our
    outermost proxy and is the client; entries to its left are the client's own claims.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through all our proxies: the address that reached us directly
    return forwarded[-count]
