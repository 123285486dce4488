"""The project a Claude Code session runs in, seen from its ``cwd``: the names a work log may be
tied to and the words that find its patterns. Cheap by design (a few small reads, no
subprocess): it runs before the first prompt. docs/HOSTS.md says how a log is tied to a project.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Project", "find_project", "slug"]

HEAD_BYTES = 4096
SCAN_LIMIT = 400  # directory entries looked at for languages
_MARKERS = {
    "pyproject.toml": "python",
    "setup.py": "python",
    "requirements.txt": "python",
    "package.json": "javascript",
    "tsconfig.json": "typescript",
    "Cargo.toml": "rust",
    "go.mod": "go",
    "Gemfile": "ruby",
    "pom.xml": "java",
    "build.gradle": "java",
    "build.gradle.kts": "kotlin",
    "composer.json": "php",
    "mix.exs": "elixir",
    "Package.swift": "swift",
    "CMakeLists.txt": "cpp",
}
_EXTENSIONS = {
    ".py": "python",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".js": "javascript",
    ".jsx": "javascript",
    ".rs": "rust",
    ".go": "go",
    ".rb": "ruby",
    ".java": "java",
    ".kt": "kotlin",
    ".php": "php",
    ".ex": "elixir",
    ".swift": "swift",
    ".c": "c",
    ".cpp": "cpp",
    ".cs": "csharp",
    ".sql": "sql",
    ".sh": "shell",
}
_SOURCE_DIRS = ("src", "lib", "app")
_REMOTE = re.compile(r'^\s*\[remote\s+"([^"]+)"\]|^\s*url\s*=\s*(\S+)', re.M)


def slug(text: str) -> str:
    """``My Project`` and ``my_project`` -> ``my-project``: how names are compared."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Project:
    root: Path
    names: tuple[str, ...]  # slugs: the folder name, then the git remote's repository name
    heading: str | None  # the README's first heading
    languages: tuple[str, ...]  # most used first, at most three

    def query(self) -> str:
        """The words that find this project's patterns."""
        words = [*(n.replace("-", " ") for n in self.names), self.heading or "", *self.languages]
        return " ".join(dict.fromkeys(w for w in words if w))


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _top(cwd: Path) -> tuple[Path, Path | None]:
    """The work tree holding ``cwd`` (its ``.git``), else ``cwd`` itself."""
    for folder in (cwd, *cwd.parents):
        git = folder / ".git"
        if git.exists():
            return folder, git
    return cwd, None


def _remote_name(git: Path | None) -> str | None:
    if git is None or not git.is_dir():
        return None
    remote: str | None = None
    urls: dict[str, str] = {}
    for m in _REMOTE.finditer(_head(git / "config")):
        if m.group(1):
            remote = m.group(1)
        elif remote is not None:
            urls.setdefault(remote, m.group(2))
    url = urls.get("origin") or next(iter(urls.values()), None)
    if not url:
        return None
    name = re.split(r"[/:]", url.rstrip("/"))[-1]
    return name.removesuffix(".git") or None


def _heading(root: Path) -> str | None:
    for name in ("README.md", "README.rst", "README.txt", "README"):
        text = _head(root / name)
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("#"):
                return line.lstrip("#").strip()[:120] or None
            if line and name != "README.md" and not set(line) <= set("=-~*#"):
                return line[:120]
    return None


def _languages(root: Path) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    seen = 0
    for folder in (root, *(root / d for d in _SOURCE_DIRS)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries[:SCAN_LIMIT]:
            seen += 1
            if entry.name in _MARKERS:
                counts[_MARKERS[entry.name]] += 5
            lang = _EXTENSIONS.get(os.path.splitext(entry.name)[1])
            if lang:
                counts[lang] += 1
        if seen >= SCAN_LIMIT:
            break
    return tuple(lang for lang, _ in counts.most_common(3))


def find_project(cwd: Path) -> Project:
    root, git = _top(cwd)
    names = [slug(root.name)]
    remote = _remote_name(git)
    if remote:
        names.append(slug(remote))
    return Project(
        root=root,
        names=tuple(dict.fromkeys(n for n in names if n)),
        heading=_heading(root),
        languages=_languages(root),
    )
