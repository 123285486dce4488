"""Arguments the SDK refuses, in words an assistant can act on.

The SDK validates a call's arguments against the tool's input schema before devlore sees
them, and its error is pydantic's text (with documentation URLs). ``checked_call`` wraps that
step: enum arguments (levels, statuses, kinds) are matched case-insensitively first, and a
refusal becomes one sentence per argument, naming it as the caller sent it and saying what is
allowed: ``'level' must be one of 'LOW', 'MEDIUM' or 'HIGH'; got 'SUPREME'.`` An argument the
tool does not take is refused too (the SDK would drop it without a word).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from pydantic import ValidationError

__all__ = ["checked_call", "describe", "normalised"]

T = TypeVar("T")
_KINDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
}


def normalised(arguments: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``arguments`` with each enum value (or list of them) spelled as the schema spells it,
    whatever its case: ``high`` is ``HIGH``, ``Blocked`` is ``blocked``."""
    props = schema.get("properties", {})
    out = dict(arguments)
    for name, value in arguments.items():
        prop = props.get(name) or {}
        if isinstance(value, str) and "enum" in prop:
            out[name] = _spelled(value, prop["enum"])
        elif isinstance(value, list) and "enum" in (prop.get("items") or {}):
            out[name] = [_spelled(v, prop["items"]["enum"]) if isinstance(v, str) else v for v in value]
    return out


def _spelled(value: str, allowed: list[Any]) -> str:
    folded = value.strip().casefold()
    return next((a for a in allowed if isinstance(a, str) and a.casefold() == folded), value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(exc: ValidationError) -> str:
    """One sentence per refused argument, without pydantic's layout or URLs."""
    out: list[str] = []
    for err in exc.errors(include_url=False):
        arg = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"]).replace(".[", "[")
        kind, got = err["type"], err.get("input")
        ctx = err.get("ctx") or {}
        if kind == "missing":
            out.append(f"'{arg}' is required.")
        elif kind in ("literal_error", "enum"):
            out.append(f"'{arg}' must be one of {ctx.get('expected', '')}; got {_shown(got)}.")
        elif kind == "extra_forbidden":
            out.append(f"'{arg}' is not an argument here; remove it.")
        elif kind in _KINDS:
            out.append(f"'{arg}' must be {_KINDS[kind]}; got {type(got).__name__} {_shown(got)}.")
        else:
            out.append(f"'{arg}': {err['msg']}.")
    return " ".join(out) + " Fix the arguments and call again."


async def checked_call(
    call: Callable[[str, dict[str, Any]], Awaitable[T]], name: str, arguments: dict[str, Any], schema: dict[str, Any]
) -> T:
    """``call(name, arguments)`` with enums matched case-insensitively, and the SDK's argument
    refusal reworded by ``describe`` (still a ``ToolError``, still caused by the validation)."""
    known: dict[str, Any] | None = schema.get("properties")
    unknown = sorted(set(arguments) - set(known)) if known is not None else []
    if known is not None and unknown:  # the SDK would drop them silently: the call would not do what was meant
        takes = ", ".join(known)
        raise ToolError(
            f"Error executing tool {name}: {', '.join(repr(u) for u in unknown)} "
            f"{'is not an argument' if len(unknown) == 1 else 'are not arguments'} of {name}; it takes {takes}."
        )
    try:
        return await call(name, normalised(arguments, schema))
    except ToolError as exc:
        cause = exc.__cause__
        if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
            raise
        raise ToolError(f"Error executing tool {name}: {describe(cause)}") from cause
