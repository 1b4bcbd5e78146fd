"""``python -m regression_model.batch``: the batch job's command line."""

from regression_model.batch.job import main

if __name__ == "__main__":
    raise SystemExit(main())
