"""Waiting in tests for what a worker thread or process does in its own connection."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], object], timeout: float = 60.0) -> bool:
    """Poll until condition() is true; False if it is not within timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
