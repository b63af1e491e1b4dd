"""The repository names no place on a developer's machine: it must work from any checkout.

Every file git tracks is read, lockfiles and binary files aside, for absolute paths into home
directories and the development machines' work tree, and for the checkout's own location.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Written as a pattern so that this file does not name the paths it looks for.
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|root|home)/[\w.~-]")
# Paths that are not this machine's: the image's own build caches in the Dockerfile.
ALLOWED = {"Dockerfile": re.compile(r"target=/[r]oot/\.(?:npm|cache/uv)\b")}
LOCKFILES = re.compile(r"(?:^|/)(?:[\w.-]+\.lock|[\w.-]*-lock\.(?:json|ya?ml))$")


def _tracked() -> list[str]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
    )
    return [name for name in listed.stdout.decode().split("\0") if name]


def _offences(name: str, text: str) -> list[str]:
    found = []
    allowed = ALLOWED.get(name)
    for number, line in enumerate(text.splitlines(), start=1):
        if allowed is not None:
            line = allowed.sub("", line)
        if MACHINE_PATH.search(line) or f"{REPO}/" in line:
            found.append(f"{name}:{number}: {line.strip()[:120]}")
    return found


def test_repository_paths_no_tracked_file_names_a_machine_path() -> None:
    offences: list[str] = []
    for name in _tracked():
        path = REPO / name
        if LOCKFILES.search(name) or not path.is_file():
            continue  # lockfiles record registries' paths; a file deleted but not yet staged
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        offences += _offences(name, data.decode("utf-8", errors="replace"))
    assert not offences, "absolute paths of a machine in tracked files:\n" + "\n".join(offences)


def test_repository_paths_pattern_finds_what_it_should() -> None:
    assert _offences("bench/x.py", 'default=Path("/' + 'work/shared/menus")')
    assert _offences("README.md", "see /" + "home/ann/notes")
    assert _offences("a.json", '"command": "' + f"{REPO}/bench/chat.py" + '"')
    assert _offences("Dockerfile", "RUN --mount=type=cache,target=/" + "root/.npm npm ci") == []
    assert _offences("Dockerfile", "COPY /" + "root/secret .")
    assert (
        _offences("docs/a.md", "a /usr/local/bin and ../shared/menus and https://x.org/home/") == []
    )
