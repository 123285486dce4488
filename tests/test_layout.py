"""``layout.is_checked``: the files ``devlore check`` (and ``check --staged``) parse."""

from __future__ import annotations

from devlore.layout import is_checked


def test_is_checked_takes_flat_markdown_in_three_folders_any_episode_and_the_two_health_files() -> None:
    paths = [
        "memory/semantic/patterns/dev-patterns.md",
        "memory/semantic/patterns/notes.md",
        "memory/semantic/patterns/old/dev-patterns.md",
        "memory/semantic/patterns/dev-patterns.txt",
        "memory/procedural/workflows/pin-tool-versions.md",
        "memory/procedural/workflows/drafts/pin.md",
        "memory/worklogs/Payments-WorkLog.md",
        "memory/worklogs/archive/Payments-WorkLog.md",
        "memory/episodic/code/2026-11-20-pinned-ruff.md",
        "memory/episodic/2026/11/deep.md",
        "memory/episodic/code/image.png",
        "brain-health/growth-log.md",
        "brain-health/pattern-confidence.md",
        "brain-health/notes.md",
        "INDEX.md",
        "projects/README.md",
    ]
    assert [p for p in paths if is_checked(p)] == [
        "memory/semantic/patterns/dev-patterns.md",
        "memory/semantic/patterns/notes.md",
        "memory/procedural/workflows/pin-tool-versions.md",
        "memory/worklogs/Payments-WorkLog.md",
        "memory/episodic/code/2026-11-20-pinned-ruff.md",
        "memory/episodic/2026/11/deep.md",
        "brain-health/growth-log.md",
        "brain-health/pattern-confidence.md",
    ]
