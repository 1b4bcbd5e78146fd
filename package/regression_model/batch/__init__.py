"""Advanced: the model embedded in a batch job, pricing millions of houses on Dask.

Beyond the course: ``python -m regression_model.batch`` prices a CSV or Parquet
dataset on a Dask cluster. It needs the ``batch`` extra:
``pip install "regression-model[batch]"``. Read it in this order:

- :mod:`.inputs`: the input's files, their headers, and its partitions;
- :mod:`.score`: one partition priced on a worker, with the model the job shipped;
- :mod:`.output`: the job's own output folder, its parts replaced whole or not at all;
- :mod:`.cluster`: the Dask cluster the tasks run on;
- :mod:`.job`: the run and its command line (``__main__`` checks the extra first).
"""
