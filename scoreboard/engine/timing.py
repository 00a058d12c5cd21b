"""Stage time (DESIGN §8): a performance's measured duration against the contest's time range,
and the penalty the overtime rule proposes. Pure: plain values in, plain values out.

Vocabulary:

- duration: what the timekeeper measured, counted in whole seconds as the clocks show it
  (4:59.9 is 4:59, inside a 5:00 maximum);
- range: an optional minimum and an optional maximum, in seconds;
- outside: seconds above the maximum (over) or below the minimum (under);
- step: every started step of seconds outside the range costs `points_per_step`, never more
  than `cap` in all (1 point per started 30 s, at most 5, say).

Nothing here deducts anything: the result is a proposal for a person to confirm or dismiss.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TimeRule:
    """A contest's time range and overtime rule."""

    min_seconds: int | None = None
    max_seconds: int | None = None
    step_seconds: int = 30
    points_per_step: Decimal = Decimal(1)
    cap: Decimal | None = None

    @property
    def limited(self) -> bool:
        """True when the contest has a range at all."""
        return self.min_seconds is not None or self.max_seconds is not None


@dataclass(frozen=True)
class TimeVerdict:
    """A duration judged against a rule."""

    seconds: int          # the duration in whole seconds
    side: str             # "over", "under" or "" (inside the range, or no range)
    outside: int          # seconds outside the range (0 inside)
    steps: int            # started steps outside
    points: Decimal       # the proposed penalty (0 when none)


def whole_seconds(duration_ms: int) -> int:
    """Milliseconds as the clocks show them: whole seconds, the fraction dropped."""
    return max(0, int(duration_ms)) // 1000


def time_verdict(duration_ms: int, rule: TimeRule) -> TimeVerdict:
    """How far outside the range a duration is, and the penalty the rule proposes for it."""
    seconds = whole_seconds(duration_ms)
    side, outside = "", 0
    if rule.max_seconds is not None and seconds > rule.max_seconds:
        side, outside = "over", seconds - rule.max_seconds
    elif rule.min_seconds is not None and seconds < rule.min_seconds:
        side, outside = "under", rule.min_seconds - seconds
    if not outside:
        return TimeVerdict(seconds, "", 0, 0, Decimal(0))
    steps = -(-outside // rule.step_seconds)  # started steps: ceiling division
    points = Decimal(steps) * Decimal(rule.points_per_step)
    if rule.cap is not None:
        points = min(points, Decimal(rule.cap))
    return TimeVerdict(seconds, side, outside, steps, points)


def clock_text(seconds: int) -> str:
    """Whole seconds as a stage clock shows them: 4:30, 12:05, 0:07."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
