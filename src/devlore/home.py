"""Where a brain is when a command is not told: ``$DEVLORE_ROOT``, else ``~/devlore``."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_root"]


def default_root() -> Path:
    env = os.environ.get("DEVLORE_ROOT")
    return Path(env).expanduser() if env else Path.home() / "devlore"
