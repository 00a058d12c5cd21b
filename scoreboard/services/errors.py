"""The one error a use case raises, and the rule that its transaction is rolled back.

A service refuses bad input or a forbidden change with ServiceError(status, message): the HTTP
status (422 invalid input, 409 the contest's state forbids it now, 403/404 for a seat or a
thing that is not there), the message in the reader's language and, for a form, one message per
field. Views turn it into a response in one place per blueprint; they never roll back.
"""
import functools

from ..extensions import db


class ServiceError(Exception):
    """A use case refused: nothing was written, and the message tells the user why."""

    def __init__(self, status: int, message: str, errors: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}


def rolls_back(use_case):
    """Roll the use case's transaction back when it fails, so nothing half-done is left behind."""
    @functools.wraps(use_case)
    def wrapper(*args, **kwargs):
        try:
            return use_case(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise
    return wrapper
