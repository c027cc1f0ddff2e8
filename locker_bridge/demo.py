"""Demo content of the locker_bridge app, called by seed_demo."""


def seed(*, home) -> None:
    """Nothing yet: the app's issue fills this in."""
