"""Writing a file whole, and holding a file lock between processes: the one implementation the
store and the git layer share.

A write goes to a temp file beside its target (named with ``TMP_MARK`` and the writer's pid,
so a later run can tell a dead writer's leftover from a live one's), is fsynced and renamed
over the target, and the folder is fsynced: the file is always either as it was or as
intended, even if the process is killed or the machine loses power. Locks are ``filelock``
files: the OS releases them when their holder dies.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

__all__ = ["TMP_MARK", "Busy", "atomic_write", "exclusive", "is_held", "temp_owner"]

TMP_MARK = ".devlore-tmp-"


class Busy(TimeoutError):
    """Another holder kept the lock for the whole wait; callers turn it into their own error."""


def atomic_write(
    path: Path, data: bytes, before_replace: Callable[[], None] | None = None, mode: int | None = None
) -> None:
    """Replace (or create) ``path`` with ``data``. ``before_replace`` runs once the temp file is
    safely on disk, just before the rename; if it raises, nothing is replaced. ``mode`` gives the
    new file those permission bits before it appears (a private config file stays private)."""
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "wb") as fh:
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)


def temp_owner(name: str) -> int | None:
    """The pid of the process that wrote the temp file called ``name``, or None if it is not one."""
    if TMP_MARK not in name:
        return None
    pid = name.rsplit(TMP_MARK, 1)[1].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


@contextlib.contextmanager
def exclusive(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock file ``path`` against every other holder, in this process or another, for the
    ``with`` block; raise ``Busy`` after waiting ``timeout`` seconds for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # One FileLock per call, not per thread: it is the OS lock on its own open file that keeps
    # two threads of this process apart as well as two processes.
    lock = FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise Busy(f"{path} was held by another process for {timeout:.0f} s") from exc
    try:
        yield
    finally:
        lock.release()


def is_held(path: Path) -> bool:
    """True while some process holds the lock file ``path`` (checked without waiting)."""
    lock = FileLock(str(path), thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (not possible, and not needed, on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
