"""Addresses that leave the app (QR codes, judges' login links, the audience board's URL)."""
from flask import current_app, has_request_context, url_for

CLI_BASE_URL = "http://127.0.0.1:5000"


def public_url(endpoint: str, **values) -> str:
    """An absolute URL as phones outside reach it: PUBLIC_BASE_URL when set, else the current
    request's host, else (the CLI, no request) http://127.0.0.1:5000."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or CLI_BASE_URL):
        return url_for(endpoint, _external=True, **values)
