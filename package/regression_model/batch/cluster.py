"""Where the batch job runs: a Dask cluster someone started, or one of its own.

The same tasks run on either: with ``--scheduler`` the job connects to that
scheduler's address (a cluster of many machines, started with ``dask scheduler``
and ``dask worker``); without it, it starts a ``LocalCluster`` on this machine and
stops it at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from dask.distributed import Client, LocalCluster


@contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a new local one.

    Parameters
    ----------
    scheduler : str, optional
        The address of a running scheduler, such as ``tcp://10.0.0.5:8786``.
    workers : int, optional
        Worker processes of the local cluster (default: one per core); ignored with
        ``scheduler``.
    """
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # One single-threaded process per core: pricing is Python-bound (the GIL).
    with (
        LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
