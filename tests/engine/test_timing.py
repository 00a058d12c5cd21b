"""Stage time (DESIGN §8): a duration against the range and the penalty the overtime rule proposes."""
from decimal import Decimal

import pytest

from scoreboard.engine import TimeRule, clock_text, time_verdict

D = Decimal
YEL = TimeRule(min_seconds=180, max_seconds=300, step_seconds=30, points_per_step=D(1), cap=D(5))


@pytest.mark.parametrize(
    ("duration_ms", "rule", "side", "outside", "points"),
    [
        (240_000, YEL, "", 0, D(0)),             # 4:00, inside 3:00-5:00
        (300_999, YEL, "", 0, D(0)),             # 5:00.999 shows 5:00: not over
        (301_000, YEL, "over", 1, D(1)),         # 5:01: one started step
        (330_000, YEL, "over", 30, D(1)),        # 5:30: exactly one step
        (331_000, YEL, "over", 31, D(2)),        # 5:31: the second step has started
        (342_000, YEL, "over", 42, D(2)),        # 5:42
        (900_000, YEL, "over", 600, D(5)),       # 15:00: twenty steps, capped at 5
        (179_000, YEL, "under", 1, D(1)),        # 2:59: under the minimum
        (120_000, YEL, "under", 60, D(2)),       # 2:00
        (0, YEL, "under", 180, D(5)),            # stopped at once: 6 steps, capped
        (500_000, TimeRule(max_seconds=300, step_seconds=60, points_per_step=D("2.5")),
         "over", 200, D("10")),                  # no minimum, no cap: 4 started minutes x 2.5
        (10_000, TimeRule(max_seconds=300), "", 0, D(0)),   # no minimum: short is fine
        (999_000, TimeRule(), "", 0, D(0)),      # no range at all
    ])
def test_the_rule_proposes_points_per_started_step_outside_the_range(duration_ms, rule, side,
                                                                     outside, points):
    verdict = time_verdict(duration_ms, rule)
    assert (verdict.side, verdict.outside, verdict.points) == (side, outside, points)


def test_clock_text_is_minutes_and_two_digit_seconds():
    assert [clock_text(s) for s in (0, 7, 59, 60, 270, 725)] == [
        "0:00", "0:07", "0:59", "1:00", "4:30", "12:05"]
