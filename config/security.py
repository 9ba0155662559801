"""Content-Security-Policy: scripts and styles from this site only, no framing."""

from django.conf import settings

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
