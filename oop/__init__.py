"""Stage 3: the model's steps as scikit-learn transformers in one pipeline."""
