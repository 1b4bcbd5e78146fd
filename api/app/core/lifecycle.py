"""The replica's life as a router sees it: starting, ready, draining.

A router (HAProxy, a Kubernetes Service) sends traffic only to replicas whose
``GET /api/v1/health/ready`` answers ``200``. A replica is ready once its model is
loaded (the app's lifespan puts it in ``app.state.model``) and until it starts
draining: on its first SIGTERM the server (:mod:`app.server`) sets
``replica.draining``, so ``/ready`` answers ``503`` while the replica still serves
what the router sends it, then shuts down once the router has stopped sending.

Draining belongs to the process, not to one app: every worker process of
``--workers N`` has its own ``replica`` and drains on its own signal. One flag, set
by the signal handler and read by the route, needs no lock: reading or writing an
attribute is atomic in CPython.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Replica:
    """What this server process tells the router about itself.

    Attributes
    ----------
    draining : bool
        ``True`` from the first SIGTERM on: the replica answers what it gets, but
        asks the router for no more.
    """

    draining: bool = False


replica = Replica()
