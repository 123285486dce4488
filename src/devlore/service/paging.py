"""Cursor paging for list answers, so no answer grows with the brain (each stays under 20,000 characters)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from devlore.errors import InvalidArgument

__all__ = ["page"]

T = TypeVar("T")


def page(items: Sequence[T], cursor: str | None, limit: int, most: int = 100) -> tuple[list[T], str | None, int]:
    """``(this page, the cursor of the next one or None, how many come after this page)``.

    The cursor is the offset as text: opaque to callers, stable while the list is unchanged."""
    if not 1 <= limit <= most:
        raise InvalidArgument(f"limit must be between 1 and {most}.")
    start = 0
    if cursor:
        if not cursor.isdigit() or int(cursor) > len(items):
            raise InvalidArgument(f"Invalid cursor {cursor!r}: pass the next_cursor of the previous answer.")
        start = int(cursor)
    chunk = list(items[start : start + limit])
    after = max(0, len(items) - start - len(chunk))
    return chunk, (str(start + len(chunk)) if after else None), after
