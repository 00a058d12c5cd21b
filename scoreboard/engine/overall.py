"""Juara umum (rules §3): the overall champion per region over the event's published contests."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .awards import DEFAULT_AWARDS, rank_order

# Points per award when the event ranks by points; an award not listed (Harapan) earns 0.
DEFAULT_POINTS = {"Juara I": Decimal(5), "Juara II": Decimal(3), "Juara III": Decimal(1)}

MODES = ("medals", "points")


@dataclass(frozen=True)
class OverallRow:
    """One region's line in the juara umum table."""

    region: str
    rank: int
    counts: Mapping[str, int]  # award label -> how many of the region's teams won it
    points: Decimal


def juara_umum(
    results: Sequence[tuple[str, str]],
    award_order: Sequence[str] = DEFAULT_AWARDS,
    mode: str = "medals",
    points: Mapping[str, Decimal] | None = None,
    regions: Sequence[str] = (),
) -> list[OverallRow]:
    """The juara umum table from (region, award) pairs: by medal count, or by points then medals; full ties share."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    points_per_award = DEFAULT_POINTS if points is None else points
    counts = {region: dict.fromkeys(award_order, 0) for region in regions}
    for region, award in results:
        if award:
            region_counts = counts.setdefault(region, dict.fromkeys(award_order, 0))
            region_counts[award] = region_counts.get(award, 0) + 1
    totals = {
        region: sum(
            (Decimal(points_per_award.get(award, 0)) * count for award, count in region_counts.items()), Decimal(0)
        )
        for region, region_counts in counts.items()
    }

    def order_key(region: str) -> tuple:
        medals = tuple(-counts[region][award] for award in award_order)
        return (-totals[region], *medals) if mode == "points" else medals

    return [
        OverallRow(region=region, rank=rank, counts=counts[region], points=totals[region])
        for region, rank in rank_order({region: order_key(region) for region in counts})
    ]
