"""Trained pipelines land here (``python -m regression_model.train_pipeline``)."""
