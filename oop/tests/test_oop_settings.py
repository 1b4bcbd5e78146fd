"""The variable lists of oop/settings.py cover each raw variable exactly once."""

from __future__ import annotations

from oop import settings


def test_every_raw_variable_is_categorical_or_numerical_once():
    # Given the features and the reference year the pipeline reads
    raw = [*settings.FEATURES, settings.REFERENCE_VARIABLE]
    # When the two type lists are joined
    typed = settings.CATEGORICAL_VARIABLES + settings.NUMERICAL_VARIABLES
    # Then each raw variable is in exactly one of them
    assert sorted(typed) == sorted(raw)


def test_every_categorical_variable_is_mapped_or_encoded_once():
    # Given the categorical variables
    # When the mapped and the encoded lists are joined
    treated = (
        settings.QUALITY_VARIABLES
        + settings.EXPOSURE_VARIABLES
        + settings.FINISH_VARIABLES
        + settings.GARAGE_VARIABLES
        + settings.ENCODED_VARIABLES
    )
    # Then each categorical variable gets exactly one of the two treatments
    assert sorted(treated) == sorted(settings.CATEGORICAL_VARIABLES)


def test_numerical_steps_use_numerical_variables():
    # Given the variables of the temporal, log and binarising steps
    steps = settings.TEMPORAL_VARIABLES + settings.LOG_VARIABLES
    steps += settings.BINARIZE_VARIABLES
    # When they are looked up among the numerical variables
    # Then every one is there
    assert set(steps) <= set(settings.NUMERICAL_VARIABLES)
