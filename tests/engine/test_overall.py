"""Juara umum (rules §3): the medal table per region, or points per award; full ties share the place."""

from decimal import Decimal

import pytest

from scoreboard.engine import DEFAULT_AWARDS, juara_umum

J1, J2, J3, H1, H2, H3 = DEFAULT_AWARDS


@pytest.mark.parametrize(
    ("results", "regions", "expected"),
    [
        (
            # Awayan: one Juara I. Batumandi: one Juara I and one Harapan I. Halong: two Juara II.
            # Juara I: 1, 1, 0 → Halong last; Awayan and Batumandi tie on Juara I, II, III; Harapan I 0 < 1.
            [("Awayan", J1), ("Batumandi", J1), ("Batumandi", H1), ("Halong", J2), ("Halong", J2)],
            (),
            [("Batumandi", 1), ("Awayan", 2), ("Halong", 3)],
        ),
        (
            # Full tie: Juai and Lampihong one Juara I each → both first; Paringin third.
            [("Lampihong", J1), ("Juai", J1), ("Paringin", J3)],
            (),
            [("Juai", 1), ("Lampihong", 1), ("Paringin", 3)],
        ),
        (
            # Regions without an award appear only when passed in, with zero counts, sharing the last place.
            [("Halong", H3)],
            ("Awayan", "Halong", "Tebing Tinggi"),
            [("Halong", 1), ("Awayan", 2), ("Tebing Tinggi", 2)],
        ),
        ([], (), []),
    ],
)
def test_medal_table(results, regions, expected):
    table = juara_umum(results, regions=regions)
    assert [(row.region, row.rank) for row in table] == expected


def test_counts_cover_every_award():
    [row] = juara_umum([("Awayan", J1), ("Awayan", J1), ("Awayan", H2)])
    assert row.counts == {J1: 2, J2: 0, J3: 0, H1: 0, H2: 1, H3: 0}
    assert row.points == Decimal(10)  # 2 × 5 + 0


@pytest.mark.parametrize(
    ("results", "points", "expected"),
    [
        (
            # Awayan: Juara I = 5. Batumandi: 2 × Juara II = 6. Halong: Juara III + 3 × Harapan I = 1 + 0 = 1.
            # Points put Batumandi first; the medal table would put Awayan first.
            [("Awayan", J1), ("Batumandi", J2), ("Batumandi", J2), ("Halong", J3)] + [("Halong", H1)] * 3,
            None,
            [("Batumandi", 1, "6"), ("Awayan", 2, "5"), ("Halong", 3, "1")],
        ),
        (
            # Equal points, medals decide: Awayan Juara I = 5; Batumandi Juara II + 2 × Juara III = 3 + 1 + 1 = 5.
            [("Awayan", J1), ("Batumandi", J2), ("Batumandi", J3), ("Batumandi", J3)],
            None,
            [("Awayan", 1, "5"), ("Batumandi", 2, "5")],
        ),
        (
            # Full tie on points and medals: one Juara II each → shared first.
            [("Juai", J2), ("Halong", J2)],
            None,
            [("Halong", 1, "3"), ("Juai", 1, "3")],
        ),
        (
            # The organizer's own points: Juara I 10, Harapan I 1. Awayan 10; Batumandi 11 × Harapan I = 11.
            [("Awayan", J1)] + [("Batumandi", H1)] * 11,
            {J1: Decimal(10), H1: Decimal(1)},
            [("Batumandi", 1, "11"), ("Awayan", 2, "10")],
        ),
    ],
)
def test_points_table(results, points, expected):
    table = juara_umum(results, mode="points", points=points)
    assert [(row.region, row.rank, row.points) for row in table] == [
        (region, rank, Decimal(total)) for region, rank, total in expected
    ]


def test_medal_mode_ignores_points():
    # Same results as the first points case: by medals Awayan's Juara I beats Batumandi's two Juara II.
    results = [("Awayan", J1), ("Batumandi", J2), ("Batumandi", J2)]
    assert [row.region for row in juara_umum(results)] == ["Awayan", "Batumandi"]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown mode"):
        juara_umum([], mode="weighted")
