"""The footer's Next steps stay true: devlore rewrites its own lines from what is due, in the same
write as the footer counts, and never touches a person's lines (docs/FORMAT.md, '3.4 Next steps')."""

from __future__ import annotations

from pathlib import Path

from devlore.codec.merge import merge_patterns
from devlore.service import patterns, workflows
from devlore.service.brain import Brain
from tests.conftest import DEV

PERSON = [
    '- Turn "Cache Keys Carry a Schema Version" into a release-checklist workflow',
    '- Find a second use for "Feature Flags Default Off in Code" before relying on it  ',
    '- Re-check "Idempotency Keys on Webhook Handlers" against the new payments provider',
]


def next_steps(root: Path) -> list[str]:
    lines = (root / DEV).read_text(encoding="utf-8").splitlines()
    at = lines.index("**Next steps:**")
    return lines[at + 1 :]


def test_devlore_adds_its_lines_after_a_persons_and_drops_them_once_they_are_done(brain: Brain, root: Path) -> None:
    assert next_steps(root) == PERSON

    patterns.add_example(brain, "Batch Loading Related Rows", "Shop - order list (2026-11-20) - 3 queries")
    assert next_steps(root) == [
        *PERSON,
        '- Consider a workflow for "Batch Loading Related Rows" (HIGH, 5 examples)',
    ]

    workflows.promote_to_workflow(brain, "Batch Loading Related Rows")
    patterns.add_example(brain, "Redact Secrets", "Shop - checkout logs (2026-11-20) - tokens masked")
    assert next_steps(root) == [*PERSON, '- Review "Redact Secrets in the Log Formatter" after 1 more use (then HIGH)']


def test_a_file_without_a_next_steps_list_gets_none(brain: Brain, root: Path) -> None:
    content = root / "memory/semantic/patterns/content-patterns.md"
    patterns.add_example(brain, "One Diagram per Thread", "Blog - diagrams (2026-11-20) - reposted")
    patterns.add_example(brain, "One Diagram per Thread", "Blog - more diagrams (2026-11-20) - reposted")
    assert "Next steps" not in content.read_text(encoding="utf-8")


def test_a_git_merge_drops_devlores_next_steps_and_keeps_a_persons(brain: Brain, root: Path) -> None:
    base = (root / DEV).read_text(encoding="utf-8")
    patterns.add_example(brain, "Batch Loading Related Rows", "Shop - order list (2026-11-20) - 3 queries")
    ours = (root / DEV).read_text(encoding="utf-8")
    (root / DEV).write_text(base, encoding="utf-8")
    patterns.add_example(brain, "Batch Loading Related Rows", "Shop - invoices (2026-11-19) - 2 queries")
    patterns.add_example(brain, "Batch Loading Related Rows", "Shop - refunds (2026-11-18) - 1 query")
    theirs = (root / DEV).read_text(encoding="utf-8")
    assert "(HIGH, 5 examples)" in ours and "(HIGH, 6 examples)" in theirs

    merged = merge_patterns(base, ours, theirs)

    assert not merged.conflicts
    lines = merged.text.splitlines()
    assert lines[lines.index("**Next steps:**") + 1 :] == [line.rstrip("\n") for line in PERSON]
