"""Session helpers shared by the organizer console tests."""
from scoreboard.identity import organizer_session


def as_organizer(client, organizer):
    """Put an organizer's session on the test client."""
    with client.session_transaction() as session:
        session.update(organizer_session(organizer))
    return client


def as_judge(client, judge):
    """Put a judge's session on the test client."""
    with client.session_transaction() as session:
        session["judge_id"] = judge.id
    return client
