"""The stage's seats (DESIGN §8): the timekeeper's tablet (timer.py) and the MC's phone (mc.py).

Each seat logs in by code or QR like a judge (/judge/login); one module per seat adds its routes
to the one blueprint when it is imported here.
"""
from . import mc, timer  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
