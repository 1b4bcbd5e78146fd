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

import dask
from dask.distributed import Client, LocalCluster

# Dask's nanny starts its workers with MALLOC_TRIM_THRESHOLD_ set, which also freezes
# glibc's mmap threshold at 128 KiB: every column of a partition (800 KB per 100k
# rows) is then mapped and unmapped again, page by page. Arrays of up to 64 MiB kept
# on the heap price 10-15 % faster here (package/docs/batch.md). glibc reads it when
# a process starts, so it goes in the nanny's pre-spawn environment (its ``env=``
# argument would come too late).
WORKER_STARTUP = {
    "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": str(64 * 2**20)
}


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
        dask.config.set(WORKER_STARTUP),
        LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
