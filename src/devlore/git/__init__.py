"""The git layer of team brains: commit devlore's own writes, sync with a remote, set a clone up,
and git's merge driver for the brain's markdown (docs/TEAMS.md).

The git command line is the engine (``git -C <top> …`` in a subprocess, never a library), so the
person's config, hooks, credentials and transports all apply. Nothing here prints: ``devlore serve``
owns stdout for the MCP protocol, so notes go to the ``devlore.git`` loggers (stderr).

- ``process``: running one git command
- ``worktree``: finding the brain's work tree, paths in it, locks and retries
- ``repository``: ``Repo``: commit exactly devlore's files, sync, set up
- ``sync``: fetch, merge, push
- ``setup``: .gitattributes, merge-driver config, .gitignore, pre-commit hook
- ``merge_driver``: git's merge driver for brain files
"""

from devlore.git.merge_driver import ADDED_RECORD, merge_file
from devlore.git.process import GIT_MISSING, GitError
from devlore.git.repository import Repo
from devlore.git.setup import HOOK_MARK
from devlore.git.sync import SyncReport

__all__ = [
    "ADDED_RECORD",
    "GIT_MISSING",
    "HOOK_MARK",
    "GitError",
    "Repo",
    "SyncReport",
    "merge_file",
]
