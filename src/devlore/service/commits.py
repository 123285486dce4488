"""Team brains: each write operation becomes one git commit of exactly the files it wrote.

``AutoCommit`` listens to the store's writes while an operation runs (the files an operation
writes are recorded in a context variable, so concurrent operations in other threads keep
their own lists) and commits them with a message that says what happened::

    add_example: N+1 Query Prevention (MEDIUM → HIGH, 5 examples)

A person's own edits are never committed: only paths this process wrote during the
operation are passed to ``Repo.commit``, which commits those paths alone. Before anything is
written, a repository in the middle of a merge or rebase refuses the operation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from devlore.errors import DevloreError
from devlore.model import ConfidenceChange, ExperienceResult, NewPatternResult, WorkflowResult, WorkLogState
from devlore.service import health
from devlore.service.brain import Brain

if TYPE_CHECKING:
    from devlore.git import Repo, SyncReport

__all__ = ["AutoCommit", "attach", "message"]

log = logging.getLogger(__name__)

_written: ContextVar[list[str] | None] = ContextVar("devlore_written", default=None)


def _change(c: ConfidenceChange) -> str:
    n = c.examples
    return f"{c.name} ({c.confidence_before or '?'} → {c.confidence_after}, {n} example{'s' if n != 1 else ''})"


def message(operation: str, result: BaseModel) -> str:
    """The commit's subject: the operation and what it did to which pattern or log."""
    if isinstance(result, ConfidenceChange):
        what = _change(result)
    elif isinstance(result, NewPatternResult):
        what = f"{result.name} ({result.confidence}) in {result.path}"
    elif isinstance(result, ExperienceResult):
        parts = [result.path.rsplit("/", 1)[-1].removesuffix(".md")]
        parts += [f"new {p.name}" for p in result.created] + [_change(c) for c in result.reinforced]
        what = "; ".join(parts)
    elif isinstance(result, WorkflowResult):
        what = f"{result.name} from {result.source_pattern} ({result.steps} steps)"
    elif isinstance(result, WorkLogState):
        what = f"{result.name} {result.version} ({result.status})"
    else:
        what = type(result).__name__
    subject = f"{operation}: {what}"
    return subject if len(subject) <= 200 else subject[:199] + "…"


class AutoCommit:
    """Commits every write operation of ``brain`` to the git repository around it, and syncs
    it with its remote when asked (``devlore serve --git --sync-every``)."""

    def __init__(self, brain: Brain, repo: Repo) -> None:
        self.brain = brain
        self.repo = repo
        # One operation or sync at a time in this process: a merge must not run under a write.
        self._lock = threading.RLock()
        self.last_sync: str | None = None
        brain.store.on_write.append(self._record)
        brain.health_delay = None  # brain-health/ is written inside the operation it belongs to

    def _record(self, rel: str) -> None:
        written = _written.get()
        if written is not None:
            written.append(rel)

    @contextmanager
    def operation(self) -> Iterator[list[str]]:
        """Record the files written inside; refuse to start while git is mid-merge or rebase."""
        with self._lock:
            self.repo.ensure_idle()
            written: list[str] = []
            token = _written.set(written)
            try:
                yield written
            finally:
                _written.reset(token)

    def run(self, name: str, fn: Callable[[], BaseModel]) -> BaseModel:
        """``fn()``, then one commit of the files it wrote (none if it wrote nothing)."""
        with self.operation() as written:
            result = fn()
            if written:
                self.commit(written, message(name, result))
        return result

    def commit(self, written: list[str], subject: str) -> None:
        try:
            self.repo.commit(sorted(set(written)), subject)
        except DevloreError as exc:  # the write landed; it will be committed by hand or next time
            log.warning("not committed (%s): %s", subject, exc)

    def sync(self) -> SyncReport:
        """Fetch, merge (the semantic driver does the files), refresh brain-health, push."""
        with self._lock:
            try:
                report = self.repo.sync(after_merge=lambda: health.refresh(self.brain))
            except DevloreError as exc:
                self.last_sync = f"{_now()} failed: {exc}"
                raise
            self.last_sync = f"{_now()} {report.message()}"
            return report

    def sync_forever(self, every: float, stop: threading.Event) -> None:
        """``sync()`` every ``every`` seconds until ``stop`` is set; failures are logged."""
        while not stop.wait(every):
            try:
                self.sync()
            except DevloreError as exc:
                log.warning("sync failed: %s", exc)
            except Exception as exc:  # never let the background loop die silently
                log.exception("sync failed unexpectedly: %s", exc)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def attach(brain: Brain, repo: Any) -> AutoCommit:
    """Attach auto-commit to ``brain`` (``brain.commits``): every tool whose annotations say it
    writes runs through ``AutoCommit.run``."""
    auto = AutoCommit(brain, repo)
    brain.commits = auto
    return auto
