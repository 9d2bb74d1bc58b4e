"""How a command ends: exit statuses, and one line instead of a traceback for the errors a
user can fix (bad setting, missing folder, unreachable knowledge base, ...).

``pipeline.commands.cli.main`` is the one place that turns exceptions into exits (:func:`explain`);
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

OK = 0
FAILED = 1  # the command could not do its work (an expected error: one line says why)
USAGE = 2  # bad arguments or settings (argparse's own status for bad arguments)
LOCKED = 3  # another run holds the knowledge base
COMPLETED_WITH_PROBLEMS = 4  # done, but something was skipped or deferred to the next run


class ExpectedError(Exception):
    """An error the user can fix: the message is one line saying what and where."""

    def __init__(self, message: str, code: int = FAILED):
        super().__init__(message)
        self.code = code


def for_status(status: str) -> int:
    """A run's status (``completed``, ``completed with problems``, ``failed``) as an exit."""
    if status == "completed":
        return OK
    if status.startswith("completed"):
        return COMPLETED_WITH_PROBLEMS
    return FAILED


def explain(exc: BaseException) -> tuple[str, int] | None:
    """``(one line, exit status)`` for an expected error, None for anything else (a bug:
    its traceback is worth seeing)."""
    from pipeline.config import SettingsError
    from pipeline.kb.lock import RunLockedError

    if isinstance(exc, ExpectedError):
        return str(exc), exc.code
    if isinstance(exc, SettingsError):
        return str(exc), USAGE
    if isinstance(exc, RunLockedError):
        return str(exc), LOCKED
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}", FAILED
    return None


def require_folder(path: object, what: str) -> None:
    """An input folder must exist before anything is created or started for it."""
    from pathlib import Path

    folder = Path(str(path))
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise ExpectedError(f"{what} folder {folder} {why}")
