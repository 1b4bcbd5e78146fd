"""A rollout: every replica replaced in turn, no request failed (beyond the course).

This is how a new model version reaches users: a new image, rolled out over the old
one while requests flow. For each old replica, in turn:

1. start a new replica (of the new image) in a free slot of the router;
2. wait until it is ready, add it to the router, wait until HAProxy's check sees it UP;
3. drain the old one in HAProxy (no new requests) and wait until its requests end;
4. take it out of the router and stop it (SIGTERM: it drains too, then exits).

At every moment at least N replicas are ready, so capacity never drops.

Who does it. Only one process may start and stop a formation's replicas, or two
would fight (the supervisor would "replace" an old replica the rollout just stopped).
So the rollout runs *inside* the supervisor. ``make rollout`` is a messenger: it
writes ``rollout-request.json`` (the image, an id) into the state folder, the
supervisor finds it on its next look (within a second), rolls out, and records the
outcome under ``rollout`` in ``state.json``, where the messenger reads it and exits
0 (done) or 1 (failed: the new replicas that did become ready stay, beside the old
ones not yet replaced). While it rolls out, the supervisor replaces no dead replica;
HAProxy keeps requests away from one until the rollout ends.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from scripts.formation.state import pid_alive, read_json, state_dir, write_json
from scripts.release.common import StepFailed, engine, image_exists, say

if TYPE_CHECKING:
    from scripts.formation.supervisor import Formation

REQUEST_FILE = "rollout-request.json"
ROLLOUT_TIMEOUT_S = 600.0


def roll_out(formation: Formation, image: str, rollout_id: str) -> dict[str, Any]:
    """Replace ``formation``'s replicas with ``image``, one at a time; the outcome."""
    started = time.monotonic()
    old = sorted(formation.replicas.values(), key=lambda r: r.slot)
    say(f"rollout {rollout_id}: {len(old)} replicas to {image}")
    try:
        for replica in old:
            new = formation.add_replica(image)
            formation.retire(replica)
            say(f"rollout {rollout_id}: {replica.container} -> {new.container}")
    except (RuntimeError, OSError, StepFailed) as error:
        say(f"rollout {rollout_id} FAILED: {error}")
        return {"id": rollout_id, "status": "failed", "message": str(error)}
    formation.image = image
    seconds = time.monotonic() - started
    say(f"rollout {rollout_id}: done in {seconds:.1f} s")
    return {"id": rollout_id, "status": "done", "seconds": round(seconds, 1)}


def request(port: int, image: str, timeout: float = ROLLOUT_TIMEOUT_S) -> int:
    """Ask the formation on ``port`` to roll out ``image``; wait; the exit code.

    Returns 0 when the rollout is done, 1 when it failed or took too long, 2 when no
    formation runs on ``port`` or there is no such image.
    """
    folder = state_dir(port)
    state = read_json(folder / "state.json")
    if state is None or not pid_alive(int(state["pid"])):
        say(f"rollout: no formation runs on port {port} (`make formation PORT={port}`)")
        return 2
    if not image_exists(engine(), image):
        say(f"rollout: no image {image} (`make image IMAGE={image}` builds one)")
        return 2
    rollout_id = secrets.token_hex(4)
    write_json(folder / REQUEST_FILE, {"id": rollout_id, "image": image})
    say(f"rollout {rollout_id}: asked the formation (pid {state['pid']}) for {image}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        state = read_json(folder / "state.json")
        if state is None or not pid_alive(int(state["pid"])):
            say(f"rollout {rollout_id}: the formation stopped")
            return 1
        outcome = state.get("rollout") or {}
        if outcome.get("id") == rollout_id and outcome["status"] != "running":
            done = outcome["status"] == "done"
            detail = f"{outcome.get('seconds')} s" if done else outcome.get("message")
            say(f"rollout {rollout_id}: {outcome['status']} ({detail})")
            return 0 if done else 1
    say(f"rollout {rollout_id}: no outcome after {timeout:.0f} s")
    return 1
