"""One answer to "page or partial?" for every blueprint (STYLE habit 5).

htmx sends `HX-Request: true`; such a request gets the partial alone, any other the full page.
Both answers vary on HX-Request so no cache hands a partial to a full-page load.
"""
from flask import make_response, render_template, request


def is_htmx() -> bool:
    """True for a request made by htmx (it wants the partial alone)."""
    return request.headers.get("HX-Request") == "true"


def page_or_partial(page: str, partial: str, status: int = 200, **context):
    """The full page, or the partial alone for htmx; the response varies on HX-Request."""
    response = make_response(render_template(partial if is_htmx() else page, **context), status)
    response.vary.add("HX-Request")
    return response
