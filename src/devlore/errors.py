"""The project's errors. Every one reaches an MCP client as a tool error with its message.

Each message says what went wrong and what to do next, because the reader is usually an
assistant that will act on it.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExists",
    "Ambiguous",
    "Changed",
    "Conflict",
    "DevloreError",
    "InvalidArgument",
    "InvalidDocument",
    "InvalidTransition",
    "NotFound",
    "OutsideRoot",
]


class DevloreError(Exception):
    """Root of every error devlore raises on purpose; the client sees the message as is."""


class InvalidArgument(DevloreError):
    """An argument is malformed (a bad date, level, name, or an oversized value)."""


class NotFound(DevloreError):
    """No pattern, file or work log answers to the name; the message lists the closest names."""


class Ambiguous(DevloreError):
    """A prefix matches several patterns; the message lists the candidates."""


class AlreadyExists(DevloreError):
    """Creating something that exists already (a pattern name, a workflow)."""


class Conflict(DevloreError):
    """The file changed in a way the operation cannot be re-applied to; nothing was written."""


class Changed(Conflict):
    """A file changed on disk (a person's editor saved it) between devlore's read and its write.

    Nothing was written; the operation can simply be run again on the new text."""


class InvalidTransition(DevloreError):
    """The evidence does not support the change (e.g. a level the examples do not earn)."""


class OutsideRoot(DevloreError):
    """A path would leave the brain root (``..``, an absolute path or a symlink escape)."""


class InvalidDocument(DevloreError):
    """A file that cannot be parsed; it is reported and left alone."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(
            f"{path}:{line}: {reason}. The file was left unchanged; fix it in an editor "
            "(run `devlore check` to list every problem)."
        )
