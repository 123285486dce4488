"""HTML where escaping is the default: ``h(template, **values)`` escapes every value that is not
already ``Html``, so text from the brain can only ever become text on the page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

__all__ = ["Html", "attr", "esc", "h", "join"]


class Html(str):
    """Markup that is already safe: built by ``h``, ``join`` or ``esc``, never from brain text."""

    __slots__ = ()


def esc(value: object) -> Html:
    """``value`` as text: ``<``, ``>``, ``&`` and both quotes escaped (``Html`` passes as is)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


_FIELD = re.compile(r"\{(\w+)\}")


def h(template: str, **values: object) -> Html:
    """Fill ``{name}`` fields of a trusted template, escaping each value (a list of ``Html``
    is joined). Literal braces are not needed by any template here, so none are supported."""

    def fill(m: re.Match[str]) -> str:
        value = values[m.group(1)]
        if isinstance(value, list | tuple):
            return join(value)
        return esc(value)

    return Html(_FIELD.sub(fill, template))


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(sep.join(esc(p) for p in parts))


_SAFE_URL = re.compile(r"^(?:/board(?:/[\w./%-]*)?(?:\?[\w=&%.-]*)?(?:#[\w-]*)?|#[\w-]*)$")


def attr(url: str) -> Html:
    """A link target the board made itself (``/board/...`` or ``#id``); anything else, such as
    a ``javascript:`` URL written in the brain, becomes an inert ``#``."""
    return esc(url) if _SAFE_URL.match(url) else Html("#")
