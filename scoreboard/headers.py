"""Security headers on every response: what a page may load and run, and who may frame it."""
import re

from flask import Flask, Response, request

# Every script is a file under /static: no inline <script>, no on*= handlers, and htmx's eval is
# off (htmx-config in base.html), so scripts need nothing beyond 'self'. Styles too: the one style
# attribute the boards needed (the row count) is a data-rows attribute set through the CSSOM
# (static/js/app.js), and htmx's indicator style lives in app.css instead of an injected <style>.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # The projector's QR code is an inline SVG data: URI (display.qr_data_uri).
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A host name or address with an optional port, nothing that could end a directive.
PLAIN_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def content_security_policy(host: str) -> str:
    """The policy for a page served to `host`.

    CSP level 3 lets 'self' cover ws:/wss: to the page's own host (Chromium and Firefox do), but
    Safari before 15.4 did not: the live connection's websocket is named as well, else such a
    tablet would silently fall back to slower long polling.
    """
    connect = "'self'"
    if PLAIN_HOST.fullmatch(host):
        connect += f" ws://{host} wss://{host}"
    directives = dict(POLICY, **{"connect-src": connect})
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Set the headers unless a view chose its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(request.host))
    # The older spelling of frame-ancestors 'none', for browsers without CSP level 2.
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Links inside the app keep their full referrer (Flask-WTF checks it on HTTPS); nothing of a
    # judge's or organizer's address reaches another site.
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_security_headers(app: Flask) -> None:
    """Register the headers for every response of `app`, errors included."""
    app.after_request(add_security_headers)
