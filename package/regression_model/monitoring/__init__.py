"""Watching the model in service: its training reference, input drift, a report.

*Beyond the course*: the course's sequel teaches monitoring with Prometheus and
Grafana. This subpackage is the model's side of it:

- :mod:`~regression_model.monitoring.reference`: at training, per feature, what the
  training split's inputs looked like, saved beside the model under its SHA-256;
- :mod:`~regression_model.monitoring.drift`: the population stability index (PSI)
  and a KS test of new rows against that reference;
- :mod:`~regression_model.monitoring.report`: the drift report of a file of houses,
  as JSON and a self-contained HTML page (``python -m regression_model.monitoring``).

It sits beside :mod:`regression_model.serving`: it imports ``processing`` and
``config``, and nothing here is read to price a house.
"""
