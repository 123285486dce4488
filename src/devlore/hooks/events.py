"""``devlore hook EVENT``: read Claude Code's hook input (JSON on stdin), answer with the hook
output JSON it documents for that event, and never fail the session.

- ``session-start`` (SessionStart): ``hookSpecificOutput.additionalContext`` holds the project's
  work-log briefs and matching HIGH/MEDIUM patterns within ``budget`` characters.
- ``prompt`` (UserPromptSubmit): the same field, with at most 3 strong recall hits.
- ``pre-compact`` (PreCompact) and ``session-end`` (SessionEnd): these events take no context
  for the assistant, so the reminder to update the work log and run ``learn`` is a
  ``systemMessage``; the SessionStart that follows a compaction repeats it to the assistant.

Any failure prints nothing, exits 0 and appends the reason to ``<brain>/.devlore/hooks.log``.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from devlore.hooks.context import briefs, fit, pattern_lines, project_logs, prompt_lines
from devlore.hooks.index_reader import ReadOnlyIndex
from devlore.hooks.project import Project, find_project
from devlore.layout import STATE_DIR
from devlore.service.brain import Brain

__all__ = ["BUDGET", "EVENTS", "PROMPT_BUDGET", "run_hook"]

BUDGET = 4_000
PROMPT_BUDGET = 1_500
LOG_NAME = "hooks.log"
LOG_LIMIT = 256_000  # bytes; the log starts again past this
TRANSCRIPT_TAIL = 4_000_000  # bytes of the transcript searched for devlore's tool calls
_TOOL_MARKS = (b"mcp__devlore__", b"mcp__plugin_devlore_devlore__")


@dataclass(frozen=True)
class Call:
    event: str
    data: dict[str, Any]
    brain: Brain
    budget: int

    @property
    def project(self) -> Project:
        cwd = self.data.get("cwd")
        return find_project(Path(cwd) if isinstance(cwd, str) and cwd else Path.cwd())


def _context(event_name: str, text: str) -> str:
    if not text:
        return ""
    return json.dumps({"hookSpecificOutput": {"hookEventName": event_name, "additionalContext": text}})


def _index(brain: Brain, notes: list[str]) -> ReadOnlyIndex | None:
    try:
        return ReadOnlyIndex(brain)
    except Exception as exc:  # no index yet, locked, another version: answer without it
        notes.append(f"patterns skipped: {exc}")
        return None


def session_start(call: Call, notes: list[str]) -> str:
    project = call.project
    logs = project_logs(call.brain, project, notes)
    parts: list[str] = []
    if call.data.get("source") == "compact" and logs:
        parts.append("Context was just compacted: bring the work log up to date (update_worklog) before going on.")
    for text in briefs(call.brain, logs):
        parts.append(f"Work log {text}")
    index = _index(call.brain, notes)
    patterns: list[str] = []
    if index is not None:
        try:
            patterns = pattern_lines(call.brain, index, project)
        except Exception as exc:  # a locked or damaged index costs the patterns, not the briefs
            notes.append(f"patterns skipped: {exc!r}")
        finally:
            index.close()
    if not parts and not patterns:
        return ""
    head = f"devlore memory for {project.names[0] if project.names else project.root.name}"
    if patterns:
        patterns = [f"Patterns that apply ({', '.join(project.languages) or 'by name'}):", *patterns]
    return _context("SessionStart", fit(head + ":", [*parts, *patterns], call.budget))


def prompt(call: Call, notes: list[str]) -> str:
    text = call.data.get("prompt")
    if not isinstance(text, str):
        return ""
    index = _index(call.brain, notes)
    if index is None:
        return ""
    try:
        lines = prompt_lines(call.brain, index, text)
    finally:
        index.close()
    if not lines:
        return ""
    budget = min(call.budget, PROMPT_BUDGET)
    return _context("UserPromptSubmit", fit("devlore recall for this prompt:", lines, budget))


def _touched(data: dict[str, Any]) -> bool:
    """Whether the session called a devlore tool, from its transcript's last bytes."""
    path = data.get("transcript_path")
    if not isinstance(path, str) or not path:
        return False
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.fstat(fh.fileno()).st_size - TRANSCRIPT_TAIL))
            tail = fh.read()
    except OSError:
        return False
    return any(mark in tail for mark in _TOOL_MARKS)


def _reminder(call: Call, notes: list[str], text: str) -> str:
    """``text`` (with ``{logs}``) as the user-visible message, when the session touched the brain
    or a work log of the project is open; else nothing."""
    names = [o.name for o in project_logs(call.brain, call.project, notes)]
    if not names and not _touched(call.data):
        return ""
    logs = f"the work log {', '.join(names)}" if names else "the open work log"
    return json.dumps({"systemMessage": text.format(logs=logs)})


def pre_compact(call: Call, notes: list[str]) -> str:
    return _reminder(
        call,
        notes,
        "devlore: before the context is compacted, bring {logs} up to date (update_worklog) "
        "and run the learn prompt to keep what this session taught.",
    )


def session_end(call: Call, notes: list[str]) -> str:
    return _reminder(
        call,
        notes,
        "devlore: the session ended. If {logs} does not say where it stopped, or this session "
        "taught something, start the next one with resume_work and the learn prompt.",
    )


EVENTS: dict[str, Callable[[Call, list[str]], str]] = {
    "session-start": session_start,
    "prompt": prompt,
    "pre-compact": pre_compact,
    "session-end": session_end,
}


def _log(root: Path, event: str, reason: str) -> None:
    """Append the reason to ``<root>/.devlore/hooks.log`` when the brain exists; never raises."""
    try:
        if not root.is_dir():
            return
        folder = root / STATE_DIR
        folder.mkdir(exist_ok=True)
        path = folder / LOG_NAME
        if path.is_file() and path.stat().st_size > LOG_LIMIT:
            path.replace(folder / (LOG_NAME + ".1"))
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} {event}: {reason}\n")
    except Exception:
        return


def run_hook(event: str, raw: str, root: Path, budget: int = BUDGET) -> str:
    """The hook's stdout for ``event`` given its stdin ``raw``: hook JSON, or "" for nothing.
    Never raises; a failure is logged under the brain and answered with nothing."""
    notes: list[str] = []
    out = ""
    try:
        if not root.is_dir():
            return ""  # no brain: nothing to say, nowhere to log
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError("the hook input is not a JSON object")
        out = EVENTS[event](Call(event, data, Brain(root), budget), notes)
    except Exception as exc:
        notes.append(f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=-3).strip().splitlines()[-3:]}")
        out = ""
    for note in notes:
        _log(root, event, note)
    return out
