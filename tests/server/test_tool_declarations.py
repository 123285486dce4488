"""What the declarations promise: arguments reach the service by name, and the writes are the
tools whose annotations do not promise read-only."""

from __future__ import annotations

import pytest

from devlore.model import PatternDetail
from devlore.service import patterns
from devlore.tools import WRITES
from devlore.tools.declare import READ, DomainArg, PatternArg, ToolGroup


def test_an_argument_the_service_does_not_take_is_refused_when_the_tool_is_declared() -> None:
    group = ToolGroup("patterns")
    with pytest.raises(TypeError) as caught:

        @group.tool(patterns.get_pattern, READ, text=lambda r: r.markdown)
        def get_pattern(pattern: PatternArg, domain: DomainArg = None, verbose: bool = False) -> PatternDetail:
            """One pattern."""

    assert str(caught.value) == "tool get_pattern: get_pattern takes no verbose"
    assert group.tools == []


def test_the_tools_committed_in_a_team_brain_are_the_ten_that_write() -> None:
    assert {
        "add_pattern",
        "add_example",
        "upgrade_confidence",
        "revise_pattern",
        "record_experience",
        "promote_to_workflow",
        "open_worklog",
        "update_worklog",
        "record_blocker",
        "resolve_blocker",
    } == WRITES
