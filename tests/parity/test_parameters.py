"""What the OOP stage learns is what the procedural stage hard-codes, bit for bit.

The procedural stage copied every learned parameter into ``procedural/config.py`` by
hand; the OOP stage's transformers learn them in ``fit``. Here the model that
``python -m oop.train`` saved (trained once per session) is read step by step and
compared with the procedural constants, with ``==`` on floats.
"""

from __future__ import annotations

import joblib
import pytest

from oop import settings
from procedural import config


@pytest.fixture(scope="module")
def steps(trained_stage):
    """The fitted steps of the OOP stage's saved model, by name."""
    model = joblib.load(trained_stage("oop").workdir / settings.MODEL_FILE.name)
    return model.regressor_.named_steps


def test_learns_the_procedural_seen_labels(steps):
    # Given the model fitted on the training split
    # When its unseen-label step is read
    # Then it learned the labels procedural/config.py hard-codes
    assert steps["unseen_labels"].seen_labels_ == config.SEEN_LABELS


def test_learns_the_procedural_categorical_imputation(steps):
    # Given the model fitted on the training split
    # When its categorical imputer is read
    learned = steps["categorical_imputer"].imputer_dict_
    # Then Missing and the most frequent labels are those config hard-codes
    expected = dict.fromkeys(
        config.CATEGORICAL_VARS_WITH_NA_MISSING, config.CATEGORICAL_MISSING_LABEL
    )
    assert learned == expected | config.CATEGORICAL_FREQUENT_LABELS


def test_learns_the_procedural_means_bit_for_bit(steps):
    # Given the model fitted on the training split
    # When its mean imputer is read
    # Then every mean equals config's exactly (== on floats, no tolerance)
    assert steps["mean_imputer"].imputer_dict_ == config.NUMERICAL_MEANS


def test_learns_the_procedural_frequent_labels(steps):
    # Given the model fitted on the training split
    # When its rare-label step is read
    # Then the frequent labels are config's, and so is the rare label
    assert steps["rare_labels"].frequent_labels_ == config.FREQUENT_LABELS
    assert steps["rare_labels"].replace_with == config.RARE_LABEL


def test_learns_the_procedural_encodings(steps):
    # Given the model fitted on the training split (the encoder saw log prices)
    # When its ordinal encoder is read
    # Then each label's code is config's
    assert steps["ordinal_encoder"].encoder_dict_ == config.ENCODING_MAPPINGS


def test_applies_the_procedural_fixed_steps(steps):
    # Given the model fitted on the training split
    # When its steps that learn nothing are read
    mappers = [steps[name] for name in ("quality", "exposure", "finish", "garage")]
    mappings = {v: m.mappings_ for m in mappers for v in m.variables_}
    # Then they use config's variables, mappings and hyperparameters
    assert mappings == config.MAPPINGS
    assert steps["elapsed_years"].variables_ == config.TEMPORAL_VARIABLES
    assert steps["elapsed_years"].reference_variable == config.REFERENCE_VARIABLE
    assert steps["log"].variables_ == config.LOG_VARIABLES
    assert steps["binarizer"].variables_ == config.BINARIZE_VARIABLES
    assert steps["features"].features_ == config.FEATURES
    assert steps["lasso"].alpha == config.ALPHA
