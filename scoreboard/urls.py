"""Addresses that leave the app (QR codes, judges' login links, the audience board's URL)."""
from flask import current_app, has_request_context, url_for


def cli_base_url() -> str:
    """Without a request (the CLI): the address `python wsgi.py` serves on this laptop, PORT included."""
    return f"http://127.0.0.1:{current_app.config.get('PORT', 5000)}"


def public_url(endpoint: str, **values) -> str:
    """An absolute URL as phones outside reach it: PUBLIC_BASE_URL when set (the venue command
    sets it), else the current request's host, else (the CLI) http://127.0.0.1:PORT."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or cli_base_url()):
        return url_for(endpoint, _external=True, **values)
