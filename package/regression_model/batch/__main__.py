"""``python -m regression_model.batch``: the batch job's command line.

The job needs Dask and pyarrow, which the package installs only with its ``batch``
extra (``pip install "regression-model[batch]"``). Without them, the command says
so in one line and exits 2, as for any input it cannot read.
"""

from __future__ import annotations

import sys

MISSING_EXTRA = (
    'error: the batch job needs the "batch" extra: '
    'pip install "regression-model[batch]"'
)


def main() -> int:
    """Run the job's command line, or name the extra to install and return 2."""
    try:
        import dask.dataframe  # noqa: F401
        import dask.distributed  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    # Imported from its own module, never run as ``__main__``: the workers unpickle
    # the tasks' functions by their module's name.
    from regression_model.batch.job import main as job_main

    return job_main()


if __name__ == "__main__":
    raise SystemExit(main())
