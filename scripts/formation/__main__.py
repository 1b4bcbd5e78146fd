"""The formation's command line (beyond the course; see ``scripts.formation``).

    python -m scripts.formation run --replicas 2 --port 8080 --image IMAGE
    python -m scripts.formation rollout --port 8080 --image IMAGE

Exit codes: 0 done (or stopped by Ctrl-C/SIGTERM), 1 an error while running, 2 a
problem found before anything started (no image, the port taken, a formation already
running there).
"""

from __future__ import annotations

import argparse
import socket
import sys

from scripts.formation import rollout
from scripts.formation.state import pid_alive, read_json, state_dir
from scripts.formation.supervisor import Formation
from scripts.release.common import StepFailed, engine, image_exists

BUILD_HINT = (
    "build it as deploy/README.md (steps 1-4) does: "
    "`make run-package publish wheelhouse image` with a package index's variables set"
)


def port_free(port: int) -> bool:
    """Whether 127.0.0.1:``port`` can be listened on (HAProxy will bind it)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def preflight(name: str, image: str, port: int) -> str | None:
    """What stops a formation from starting, in one line; ``None`` when nothing does."""
    if not image_exists(name, image):
        return f"no image {image}: {BUILD_HINT}"
    state = read_json(state_dir(port) / "state.json")
    if state is not None and pid_alive(int(state["pid"])):
        return f"a formation already runs on port {port} (pid {state['pid']})"
    if not port_free(port):
        return f"port {port} of 127.0.0.1 is in use"
    return None


def run(replicas: int, port: int, image: str) -> int:
    try:
        name = engine()
    except StepFailed as failure:
        print(f"formation: {failure}", file=sys.stderr)
        return 2
    problem = preflight(name, image, port)
    if problem:
        print(f"formation: {problem}", file=sys.stderr)
        return 2
    folder = state_dir(port)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        Formation(name, image, port, replicas, folder).run()
    except (RuntimeError, OSError, StepFailed) as error:
        print(f"formation FAILED: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.formation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("run", help="run a formation in the foreground")
    start.add_argument("--replicas", type=int, default=2)
    start.add_argument("--port", type=int, default=8080)
    start.add_argument("--image", required=True)
    roll = commands.add_parser("rollout", help="replace a formation's replicas")
    roll.add_argument("--port", type=int, default=8080)
    roll.add_argument("--image", required=True)
    args = parser.parse_args(argv)
    if args.command == "run":
        if args.replicas < 1:
            parser.error("--replicas must be at least 1")
        return run(args.replicas, args.port, args.image)
    return rollout.request(args.port, args.image)


if __name__ == "__main__":
    raise SystemExit(main())
