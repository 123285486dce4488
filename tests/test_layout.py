"""Where each kind of memory lives: one table in ``devlore.layout``, read by everything else."""

from __future__ import annotations

from devlore.layout import SKELETON, directly_in, is_checked, kind_of, merge_rule


def test_a_path_is_the_kind_of_the_folder_it_lies_in() -> None:
    assert [
        kind_of(rel)
        for rel in (
            "memory/semantic/patterns/dev-patterns.md",
            "memory/semantic/patterns/team/ops-patterns.md",
            "memory/semantic/patterns/notes.md",
            "memory/episodic/code/2026-11-20-pinned-ruff.md",
            "memory/procedural/workflows/pin-tool-versions.md",
            "memory/worklogs/Auth-Refactor-WorkLog.md",
            "memory/worklogs-old/Auth-Refactor-WorkLog.md",
            "brain-health/growth-log.md",
        )
    ] == ["pattern", "pattern", None, "episode", "workflow", "worklog", None, None]


def test_directly_in_means_the_folder_itself_not_one_below_it() -> None:
    assert [
        directly_in("memory/worklogs", "memory/worklogs/A-WorkLog.md"),
        directly_in("memory/worklogs", "memory/worklogs/archive/A-WorkLog.md"),
        directly_in("memory/worklogs", "memory/worklogs/A-WorkLog.txt"),
        directly_in("memory/semantic/patterns", "memory/semantic/patterns/dev-patterns.md", "-patterns.md"),
        directly_in("memory/semantic/patterns", "memory/semantic/patterns/notes.md", "-patterns.md"),
    ] == [True, False, False, True, False]


def test_a_new_brain_has_every_kind_folder_one_episode_folder_per_work_type_and_brain_health() -> None:
    assert SKELETON == (
        "memory/semantic/patterns",
        "memory/episodic/code",
        "memory/episodic/projects",
        "memory/episodic/content",
        "memory/episodic/learning",
        "memory/procedural/workflows",
        "memory/worklogs",
        "brain-health",
    )


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


def test_the_merge_rule_of_a_path_follows_its_kind_wherever_the_brain_sits_in_the_repository() -> None:
    paths = {
        "memory/semantic/patterns/dev-patterns.md": "patterns",
        "team/brain/memory/semantic/patterns/pm-patterns.md": "patterns",
        "memory/semantic/patterns/notes.md": None,
        "memory/semantic/patterns/old/dev-patterns.md": None,
        "memory/worklogs/Auth-Refactor-WorkLog.md": "worklog",
        "memory/worklogs/notes.md": None,
        "brain-health/growth-log.md": "growth",
        "x/brain-health/pattern-confidence.md": "confidence",
        "brain-health/notes.md": None,
        "memory/episodic/code/2026-11-20-pinned-ruff.md": "kept_apart",
        "memory/episodic/2026/11/deep.md": "kept_apart",
        "memory/procedural/workflows/pin-tool-versions.md": "kept_apart",
        "memory/procedural/workflows/drafts/pin.md": None,
        "notmemory/semantic/patterns/dev-patterns.md": None,
        "README.md": None,
    }
    assert {path: merge_rule(path) for path in paths} == paths
