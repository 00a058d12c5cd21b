"""What a judge does on a score sheet in the browser tests: type the values, tap a button."""


def fill_sheet(page, criterion_ids, values, button: str | None = None) -> None:
    """Type one value per criterion (as the judge writes it, "7,5") and tap `button` if given."""
    for criterion_id, value in zip(criterion_ids, values, strict=True):
        page.locator(f"#score-{criterion_id}").fill(value)
    if button:
        page.get_by_role("button", name=button).tap()
