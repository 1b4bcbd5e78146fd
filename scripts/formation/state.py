"""The state folder: where a running formation and a rollout meet (beyond the course).

A formation on port P keeps its files in ``${XDG_RUNTIME_DIR:-/tmp}/house-prices-
formation-P/``:

| file                     | written by | holds                                       |
|--------------------------|------------|---------------------------------------------|
| ``haproxy.cfg``          | supervisor | the router's configuration, rendered        |
| ``haproxy.sock``         | HAProxy    | the Runtime API (add, drain, remove)        |
| ``state.json``           | supervisor | its pid, image, replicas, last rollout      |
| ``rollout-request.json`` | rollout    | "replace the replicas with this image"      |

Each JSON file is written whole to a temporary name, then renamed: a reader sees the
old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def state_dir(port: int, runtime_dir: str | None = None) -> Path:
    """The state folder of the formation on ``port`` (not created here).

    ``runtime_dir`` stands for ``$XDG_RUNTIME_DIR`` (given by a test, say).
    """
    base = runtime_dir or os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return Path(base) / f"house-prices-formation-{port}"


def write_json(path: Path, content: dict[str, Any]) -> None:
    """Write ``content`` to ``path`` atomically (temporary file, then rename)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(content, indent=2) + "\n")
    partial.replace(path)


def read_json(path: Path) -> dict[str, Any] | None:
    """The content of ``path``, or ``None`` when there is no such file."""
    try:
        content: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    return content


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (signal 0 checks without sending)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
