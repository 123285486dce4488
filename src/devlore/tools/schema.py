"""Schema compaction for ``tools/list``: the answer stays small enough to send on every
connection (under 20,000 characters for all tools)."""

from __future__ import annotations

from typing import Any

__all__ = ["compact"]


def _flatten_optional(schema: dict[str, Any], output: bool) -> None:
    """``anyOf: [X, {type: null}]`` -> X. An output keeps ``null`` in its type; an optional
    argument just lists X (leaving it out is how a client says "none")."""
    options = schema.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and {"type": "null"} in options):
        return
    other = next(o for o in options if o != {"type": "null"})
    if not isinstance(other.get("type"), str):
        return
    del schema["anyOf"]
    schema.update(other)
    if output:
        schema["type"] = [other["type"], "null"]
    if "default" in schema and schema["default"] is None:
        del schema["default"]


def compact(schema: Any, output: bool = False) -> None:
    """Drop pydantic's generated ``title`` keys (they repeat the property names), nullable
    wrappers, and in output schemas the descriptions and defaults the tool's own description
    makes redundant, the ``required`` lists (every field of an answer is always sent) and the
    ``enum`` lists (an answer's levels and statuses are the ones the input schemas and
    docs/FORMAT.md list): together two fifths of the ``tools/list`` answer."""
    if isinstance(schema, dict):
        _flatten_optional(schema, output)
        for key in ("title", *(("description", "default", "required", "enum") if output else ())):
            if key in schema and (key != "title" or isinstance(schema[key], str)):
                del schema[key]
        for key, value in schema.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                for sub in value.values():
                    compact(sub, output)
            else:
                compact(value, output)
    elif isinstance(schema, list):
        for item in schema:
            compact(item, output)
