"""Exit statuses of every command, in one place (README "Exit status" lists them)."""

from __future__ import annotations

OK = 0
FAILED = 1  # the command could not do its work (an expected error: one line says why)
USAGE = 2  # bad arguments (argparse's own status)
LOCKED = 3  # another run holds the knowledge base
COMPLETED_WITH_PROBLEMS = 4  # done, but something was skipped or deferred to the next run


def for_status(status: str) -> int:
    """A run's status (``completed``, ``completed with problems``, ``failed``) as an exit."""
    if status == "completed":
        return OK
    if status.startswith("completed"):
        return COMPLETED_WITH_PROBLEMS
    return FAILED
