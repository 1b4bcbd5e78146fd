"""Data loading and saving, input validation and the package's own transformers."""
