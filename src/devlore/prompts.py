"""The prompts: ``learn`` (capture a finished task), ``resume_work`` (continue a work log) and
``recall`` (look up memory before a task)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

__all__ = ["LEARN", "RECALL", "RESUME", "register_prompts"]

LEARN = """You just finished a task. Capture what it taught, as devlore's /learn step.
{task_line}
1. In two or three sentences each: the goal, what happened, and the solution.
2. Call recall with the task's key words; note which existing patterns you applied.
3. Decide what is new: a reusable approach that worked (or a trap to avoid) becomes a new pattern
   with a context ("when does this apply?") and the pattern itself. Do not invent patterns from
   one-off details.
4. Call record_experience once with title, project, goal, what_happened, solution, result,
   patterns_applied (existing names), patterns_failed (applied but did not work; PARTIAL or BLOCKED
   only) and new_patterns. It writes the note and reinforces or creates every pattern in one step,
   all or nothing.
5. Tell the user which patterns moved level (e.g. MEDIUM → HIGH) and where the note is.
6. Call memory_stats with suggest=true. Offer, as questions, the suggestions that name a pattern of
   this task or share its lesson: merge near-duplicates, add a pattern for a recurring lesson,
   promote a HIGH pattern to a workflow, re-check one that may no longer hold. Act only on a yes
   (revise_pattern, add_pattern, promote_to_workflow)."""

RECALL = """Before working on: {topic}
Call recall with a few keywords for it (and again with synonyms if nothing fits). Apply HIGH
patterns directly, weigh MEDIUM ones, treat LOW ones as hints to validate. Read a promising hit in
full with get_pattern. Say briefly which patterns you are applying and why."""


RESUME = """Resume the work log '{name}'.
1. Call open_worklog with name '{name}' (add a title for this session if you know it). It starts the
   next version and returns the resume brief.
2. Acknowledge the version and status in one line. If it is blocked, say by what and who owns it.
3. Do exactly one HIGH item: the brief's "Do now". If it is blocked, take the first unblocked item.
   Check the open hypotheses first so you do not repeat a refuted approach.
4. As you go, call update_worklog: progress, files, decisions (what: why), hypotheses, and done for the
   item you finished; record_blocker if something outside your control stops you.
5. Stop after that one item: set next for the following session, and say what the next session
   will start with."""


def register_prompts(server: MCPServer[Any]) -> None:
    @server.prompt(name="learn", description="End-of-task interview that ends in record_experience.")
    def learn(task: str = "") -> str:
        return LEARN.format(task_line=f"Task: {task}\n" if task else "")

    @server.prompt(name="resume_work", description="Continue a work log: one HIGH item per session.")
    def resume_work(name: str) -> str:
        return RESUME.format(name=name)

    @server.prompt(name="recall", description="Look up what memory knows before starting a task.")
    def recall(topic: str) -> str:
        return RECALL.format(topic=topic)
