"""The House Prices API: the ``regression_model`` package served over HTTP."""

__version__ = "0.1.0"
