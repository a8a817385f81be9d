"""The rate limit counts per calendar minute (app/toegang/dependencies.py): a test that counts up to the limit
starts well inside a minute, so the window does not turn halfway through its count."""

import time


def ruim_in_de_minuut(marge: float = 5.0) -> None:
    """Wait for the next minute when fewer than `marge` seconds of this one are left."""
    over = 60 - time.time() % 60
    if over < marge:
        time.sleep(over + 0.1)
