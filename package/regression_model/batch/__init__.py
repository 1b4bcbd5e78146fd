"""Advanced: the model embedded in a batch job, pricing millions of houses on Dask.

Beyond the course: ``python -m regression_model.batch`` (:mod:`.job`) prices a
CSV or Parquet dataset on a Dask cluster. It needs the ``batch`` extra:
``pip install "regression-model[batch]"``.
"""
