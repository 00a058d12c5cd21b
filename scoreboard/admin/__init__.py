"""The organizer console (/admin): set up the event, run the day, approve corrections, publish.

Only organizers reach it. Routes parse and authorize; the services in scoreboard/services/
do the transactions, audit entries and pushes. One module per part of the console, mirroring
the services; each adds its routes to the one blueprint when it is imported here.
"""
from . import (after_event, audit, auth, closing, dashboard, importing, live, people,  # noqa: F401
               running, setup, stage)
from .blueprint import bp

__all__ = ["bp"]
