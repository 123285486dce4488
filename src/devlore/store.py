"""The only module that touches brain files: confined reads, locked, atomic writes.

Writes go to a temp file in the same directory, are fsynced and renamed over the target, so
a file is always either as it was or as intended. Every write holds an inter-process lock
for its file (released by the OS if the holder dies) and a thread lock; both the atomic
write and the lock are ``devlore.files``'.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from devlore.errors import Changed, Conflict, InvalidDocument, OutsideRoot
from devlore.files import TMP_MARK, Busy, atomic_write, exclusive, temp_owner
from devlore.layout import STATE_DIR, check_relative

__all__ = ["Stat", "Store"]

Stat = tuple[int, int]  # (mtime_ns, size)


class Unchecked:
    """The default of ``Store.write(expected=...)``: overwrite whatever is there."""


UNCHECKED = Unchecked()
LOCK_TIMEOUT = 30.0


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self._threads: dict[str, threading.Lock] = {}
        self.on_write: list[Callable[[str], None]] = []  # told the path after every write or removal
        self._guard = threading.Lock()

    # -- paths -----------------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        """The absolute path of ``rel``, refusing anything that resolves outside the root."""
        rel = check_relative(rel)
        real = (self.root / rel).resolve()
        if not real.is_relative_to(self.root):
            raise OutsideRoot(f"{rel} resolves outside the brain root (a symlink?); it is not read or written.")
        return real

    def exists(self, rel: str) -> bool:
        return self.path(rel).is_file()

    def stat(self, rel: str) -> Stat | None:
        try:
            st = self.path(rel).stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def glob(self, folder: str, pattern: str = "*.md", recursive: bool = False) -> list[str]:
        """Root-relative paths of regular files in ``folder`` (symlinks leaving the root skipped)."""
        base = self.root / check_relative(folder)
        if not base.is_dir():
            return []
        found = base.rglob(pattern) if recursive else base.glob(pattern)
        out: list[str] = []
        for p in found:
            if TMP_MARK in p.name or not p.is_file():
                continue
            if not p.resolve().is_relative_to(self.root):
                continue
            out.append(p.relative_to(self.root).as_posix())
        return sorted(out)

    def scan(self, folder: str, suffix: str = ".md") -> dict[str, Stat]:
        """``{rel: (mtime_ns, size)}`` of every file under ``folder`` ending in ``suffix``, fast
        enough for 10,000 files (one scandir per folder; only symlinks pay for a resolve)."""
        out: dict[str, Stat] = {}
        prefix = len(str(self.root)) + 1  # paths are built by string: pathlib costs 4x here
        stack = [os.path.join(self.root, check_relative(folder))]
        while stack:
            current = stack.pop()
            try:
                entries = list(os.scandir(current))
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                continue
            for entry in entries:
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(self.root):
                    continue
                if entry.is_dir():
                    stack.append(entry.path)
                elif entry.name.endswith(suffix) and TMP_MARK not in entry.name and entry.is_file():
                    st = entry.stat()
                    out[entry.path[prefix:].replace(os.sep, "/")] = (st.st_mtime_ns, st.st_size)
        return out

    def state_file(self, name: str) -> Path:
        """A file of devlore's own derived state (``<root>/.devlore/<name>``)."""
        folder = self.root / STATE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    # -- reading and writing ---------------------------------------------------------------

    def read(self, rel: str) -> str | None:
        """The text exactly as stored (no newline translation), or None if there is no file."""
        try:
            data = self.path(rel).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InvalidDocument(rel, line, "not valid UTF-8 text") from exc

    def write(self, rel: str, text: str, expected: Stat | Unchecked | None = UNCHECKED) -> None:
        """Atomically replace (or create) ``rel`` with ``text``; the caller holds its lock.

        With ``expected`` (the stat seen when the caller read the file; None: it did not exist),
        a file changed since, by anyone who does not take devlore's lock (a person's editor),
        is not overwritten: ``Changed`` is raised after the temp file is on disk, microseconds
        before the rename."""
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)

        def unchanged() -> None:
            if not isinstance(expected, Unchecked) and self.stat(rel) != expected:
                raise Changed(
                    f"{rel} changed on disk while devlore was writing it (an editor saved it?); "
                    "nothing was written. Call the tool again to apply it to the new text."
                )

        atomic_write(target, text.encode("utf-8"), before_replace=unchanged)
        self._written(rel)

    def clean_temp_files(self) -> list[str]:
        """Remove temp files left by writers that died mid-write (their process is gone)."""
        removed: list[str] = []
        for tmp in self.temp_files():
            pid = temp_owner(tmp.name)
            if pid is not None and pid != os.getpid() and not _alive(pid):
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
                    removed.append(tmp.relative_to(self.root).as_posix())
        return removed

    def temp_files(self) -> Iterator[Path]:
        """Temp files devlore may have left: they sit beside their targets, which live at most
        four folders deep (``memory/episodic/<folder>/``); names are checked without a stat."""
        folders = [self.root]
        for _depth in range(4):
            deeper: list[Path] = []
            for folder in folders:
                try:
                    entries = list(os.scandir(folder))
                except OSError:
                    continue
                for entry in entries:
                    if TMP_MARK in entry.name:
                        yield Path(entry.path)
                    elif entry.is_dir(follow_symlinks=False) and entry.name != STATE_DIR:
                        deeper.append(Path(entry.path))
            folders = deeper

    def remove(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(rel).unlink()
        self._written(rel)

    def _written(self, rel: str) -> None:
        for listener in self.on_write:
            listener(check_relative(rel))

    @contextlib.contextmanager
    def locked(self, *rels: str) -> Iterator[None]:
        """Hold the thread and inter-process locks of every file, taken in a fixed order."""
        names = sorted({check_relative(r) for r in rels})
        with contextlib.ExitStack() as stack:
            for rel in names:
                stack.enter_context(self._thread_lock(rel))
                stack.enter_context(self._file_lock(rel))
            yield

    def _thread_lock(self, rel: str) -> threading.Lock:
        with self._guard:
            return self._threads.setdefault(rel, threading.Lock())

    @contextlib.contextmanager
    def _file_lock(self, rel: str) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(exclusive(self.lock_file(rel), LOCK_TIMEOUT))
            except Busy as exc:
                raise Conflict(f"{rel} is being written by another devlore process; try again in a moment.") from exc
            yield

    def lock_file(self, rel: str) -> Path:
        """The inter-process lock file of ``rel`` (under ``<root>/.devlore/locks/``)."""
        digest = hashlib.sha1(rel.encode("utf-8")).hexdigest()[:16]
        return self.root / STATE_DIR / "locks" / f"{digest}.lock"

    def lock_files(self) -> list[Path]:
        """Every lock file a devlore process has taken in this brain."""
        return sorted((self.root / STATE_DIR / "locks").glob("*.lock"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
