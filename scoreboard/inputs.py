"""What a request may carry before any view reads it: a bounded body, bounded fields, no control
characters.

Checked once per request, before CSRF and before any view (so before any number is parsed from
a field): every form field, query parameter and text in the path has at most MAX_FIELD_LENGTH characters and no
control character (a NUL is a 500 on PostgreSQL, and no one types one). The whole body is bounded
by MAX_CONTENT_LENGTH (config.py), sized for the forms; the views that take a file raise it for
themselves with `accepts_upload`. Services check each field's own length and meaning below this.
"""
import re

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import UnprocessableEntity

# Twice the longest text any form keeps (a team's members, 5,000 characters): a field longer
# than this is no typing, and is refused before anything reads it.
MAX_FIELD_LENGTH = 10_000
# Field names are short ("score-12", "points_0"); a long one is no form of ours.
MAX_NAME_LENGTH = 100
# C0 and C1 controls and DEL; a tab and line breaks (a textarea sends "\r\n") are text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InputRefused(UnprocessableEntity):
    """A field too long or holding a control character: refused before any view runs, nothing written."""


def has_control_characters(text: str) -> bool:
    """True if the text holds a control character other than a tab or a line break."""
    return CONTROL_CHARACTERS.search(text) is not None


def accepts_upload(max_bytes_setting: str, long_fields=()):
    """Let a view take a body up to the named config setting (a file, or a preview's rows),
    and the named fields any length within it; every other view keeps MAX_CONTENT_LENGTH."""
    def mark(view):
        view.upload_limit_setting = max_bytes_setting
        view.long_fields = frozenset(long_fields)
        return view
    return mark


def check_request_input() -> None:
    """Refuse (422) a request whose fields are too long or hold control characters."""
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit_setting", None)
    if setting:
        # Before anything reads the body: CSRF's check reads the form right after this.
        request.max_content_length = request.max_form_memory_size = current_app.config[setting]
    long_fields = getattr(view, "long_fields", frozenset())
    path_texts = [(name, value) for name, value in (request.view_args or {}).items()
                  if isinstance(value, str)]
    for fields in (path_texts, request.args.items(multi=True), request.form.items(multi=True)):
        for name, value in fields:
            if len(name) > MAX_NAME_LENGTH or (len(value) > MAX_FIELD_LENGTH and name not in long_fields):
                raise InputRefused(_("Isian terlalu panjang (paling banyak %(limit)d karakter per "
                                     "kolom).", limit=MAX_FIELD_LENGTH))
            if has_control_characters(name) or has_control_characters(value):
                raise InputRefused(_("Isian berisi karakter kontrol (misalnya NUL) yang tidak "
                                     "diizinkan. Hapus karakter itu lalu kirim lagi."))


def size_text(limit: int) -> str:
    """A byte limit as the 413 page names it: "256 KB", "5 MB"."""
    if limit >= 1024 * 1024:
        return f"{limit / 1024 / 1024:g} MB"
    return f"{limit / 1024:g} KB"
