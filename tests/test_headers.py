"""Security headers on every response, and nothing inline for the CSP to refuse (issue 13, item 7).

The browser tests fail on any CSP violation they meet (tests/e2e/conftest.py); these checks need no
browser and cover every template and route, including ones no browser test opens.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scoreboard.headers import content_security_policy
from tests.hostile import gen_hostile_event, log_in
from tests.routes import concrete_paths

ROOT = Path(__file__).resolve().parents[1]
SECURITY_HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
# What a template must not contain (Jinja removed first, so `{% if %}onclick=` is still seen).
FORBIDDEN_IN_TEMPLATES = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "<style> element": re.compile(r"<style\b"),
    "inline event handler": re.compile(r"(?<![\w-])on[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"(?<![\w-])style\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (evaluated by htmx)": re.compile(r"hx-on"),
    "hx-vars (evaluated by htmx)": re.compile(r"hx-vars"),
    "js: in hx-vals (evaluated by htmx)": re.compile(r"hx-vals\s*=\s*['\"]\s*(?:js|javascript):"),
    "hx-trigger filter [...] (evaluated by htmx)": re.compile(r"hx-trigger\s*=\s*['\"][^'\"]*\["),
}
FORBIDDEN_IN_SCRIPTS = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|\bsetTimeout\s*\(\s*['\"]"
                                  r"|setAttribute\s*\(\s*['\"](?:on|style)")


def forbidden_in(text: str) -> list[str]:
    """Names of what the CSP would refuse in a template's text."""
    text = JINJA.sub(" ", text)
    return [name for name, pattern in FORBIDDEN_IN_TEMPLATES.items() if pattern.search(text)]


class InlineCode(HTMLParser):
    """Collects what a rendered page carries that the CSP would refuse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src") and \
                dict(attrs).get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or name.startswith("hx-on") \
                    or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def test_the_template_scan_finds_what_the_csp_refuses():
    """The scan below can fail: each thing it forbids is found in a sample."""
    samples = {
        "inline <script>": '<script>alert(1)</script>',
        "<style> element": "<style>p{}</style>",
        "inline event handler": '<button {% if x %}onclick="go()"{% endif %}>',
        "style attribute": '<p style="--rows: {{ n }}">',
        "javascript: URL": '<a href="javascript:go()">',
        "hx-on (evaluated by htmx)": '<form hx-on:submit="go()">',
        "hx-vars (evaluated by htmx)": '<div hx-vars="a:1">',
        "js: in hx-vals (evaluated by htmx)": "<div hx-vals='js:{a: go()}'>",
        "hx-trigger filter [...] (evaluated by htmx)": '<input hx-trigger="keyup[key==\'Enter\']">',
    }
    for name, sample in samples.items():
        assert forbidden_in(sample) == [name], sample
    allowed = ('<script src="{{ url_for(\'static\', filename=\'js/a.js\') }}" defer></script>'
               '<script type="application/json" id="urls">{{ urls|tojson }}</script>'
               '<p data-online="{{ _(\'Terhubung\') }}" data-rows="{{ n }}" '
               'hx-trigger="progress-{{ c.id }} from:body, every 15s" hx-vals=\'{"a": 1}\'>')
    assert forbidden_in(allowed) == []


def test_no_template_has_inline_script_handlers_or_styles():
    """Everything a page runs or styles comes from /static (the CSP allows nothing else)."""
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert len(templates) > 40
    found = {str(path.relative_to(ROOT)): forbidden_in(path.read_text(encoding="utf-8"))
             for path in templates}
    assert {path: names for path, names in found.items() if names} == {}


def test_our_scripts_do_not_evaluate_strings():
    """script-src has no 'unsafe-eval': no eval, new Function, string timers or handler attributes."""
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert scripts
    offending = {path.name: FORBIDDEN_IN_SCRIPTS.findall(path.read_text(encoding="utf-8"))
                 for path in scripts}
    assert {name: found for name, found in offending.items() if found} == {}


def test_the_policy_allows_only_the_app_itself():
    policy = dict(directive.split(" ", 1) for directive in content_security_policy("papan.local:8000")
                  .split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["img-src"] == "'self' data:"
    assert policy["connect-src"] == "'self' ws://papan.local:8000 wss://papan.local:8000"
    assert "unsafe" not in content_security_policy("papan.local")
    # A Host header cannot add a directive: only 'self' is left for it.
    assert dict(d.split(" ", 1) for d in content_security_policy("x; script-src *").split("; ")
                )["connect-src"] == "'self'"


@pytest.fixture
def hostile(app):
    """Every kind of object a route can name (with hostile names: they add no inline code)."""
    return gen_hostile_event()


def test_every_response_carries_the_security_headers(app, client, hostile):
    """Every GET route as anonymous, judge and organizer; pages, files, redirects and errors."""
    values = {"contest_id": [hostile.published_id, hostile.quiz_id], "team_id": hostile.team_ids[:1],
              "event_id": [hostile.event_id], "fmt": ["csv", "pdf", "json"], "kind": ["teams"],
              "entry_id": [hostile.entry_id], "digest": ["0" * 64], "code": ["BUKANKODE"],
              "name": ["juara-umum"], "token": ["BUKANTOKEN"]}
    policy = content_security_policy("localhost")
    pages = 0
    for role in ("anonim", "juri", "panitia"):
        log_in(client, role, hostile)
        paths = [path for _method, endpoint, path in concrete_paths(app, values)
                 if endpoint not in ("judge.login_link", "admin.login")]
        for path in paths + ["/tidak-ada", "/static/css/app.css"]:
            response = client.get(path)
            where = f"{role} GET {path} ({response.status_code})"
            assert response.headers.get("Content-Security-Policy") == policy, where
            for name, value in SECURITY_HEADERS.items():
                assert response.headers.get(name) == value, where
            if response.mimetype == "text/html" and response.status_code == 200:
                pages += 1
                scan = InlineCode()
                scan.feed(response.get_data(as_text=True))
                assert scan.found == [], where
    assert pages > 40
    refused = client.post("/")
    assert refused.status_code == 405
    assert refused.headers.get("Content-Security-Policy") == policy
