"""How the suite waits: for a condition, never for a fixed time.

A test that needs the server's background work (jobs, outgoing mail) to have finished calls
srv.wait_idle() on a test-clock server (conftest.py). Anything else, such as a peer's log, a mail
reaching the SMTP sink, an event crossing to another node, is polled with wait_until, which
returns as soon as the condition holds and fails after a deadline. The pause between two checks
here is the one place the suite may pause (docs/testing.md)."""

import time


def wait_until(predicate, timeout=20.0, step=0.05, what="the condition"):
    """Calls `predicate` until it returns something true and returns that; fails after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        got = predicate()
        if got:
            return got
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


def poll(predicate, timeout=20.0, step=0.05):
    """Like wait_until, but returns the last (false) value instead of failing at the deadline."""
    try:
        return wait_until(predicate, timeout, step)
    except AssertionError:
        return predicate()
