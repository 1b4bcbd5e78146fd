"""The package's own transformers keep scikit-learn's estimator contract.

The same behaviours, checked on each transformer of ``processing.features`` and
``processing.selection``: nothing learned before ``fit``, default-constructible, the
caller's frame never changed, ``clone`` and ``get_params``/``set_params``
round-trip, ``NotFittedError`` before ``fit``, columns checked at ``transform`` (by
feature-engine's checks), and scikit-learn's own estimator checks, the selection
that applies to transformers taking DataFrames only (the others feed NumPy arrays or
sparse matrices, whose columns have no names for a transformer finding columns by
name). The OOP stage runs the same selection on its transformers; a negative control
shows that the checks can fail.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks

from regression_model.processing.features import (
    Mapper,
    NumericCodedCategoricalTransformer,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)
from regression_model.processing.selection import FeatureSelector

QUALITY = {"Missing": 0, "Po": 1, "Fa": 2, "TA": 3, "Gd": 4, "Ex": 5}

TRANSFORMERS = [
    NumericCodedCategoricalTransformer(variables=["MSSubClass"]),
    UnseenLabelsToMissing(variables=["Neighborhood"]),
    TemporalVariableTransformer(variables=["YearRemodAdd"]),
    Mapper(variables=["ExterQual"], mappings=QUALITY),
    FeatureSelector(variables=["YrSold", "MSSubClass"]),
]
IDS = [type(transformer).__name__ for transformer in TRANSFORMERS]
# the transformers that pass every column on (FeatureSelector keeps its own)
COLUMN_KEEPERS = [t for t in TRANSFORMERS if not isinstance(t, FeatureSelector)]
COLUMN_KEEPER_IDS = [type(transformer).__name__ for transformer in COLUMN_KEEPERS]

# The estimator checks that apply to DataFrame-only transformers (the OOP stage's
# selection).
ESTIMATOR_CHECKS = [
    estimator_checks.check_estimator_cloneable,
    estimator_checks.check_estimator_repr,
    estimator_checks.check_estimator_tags_renamed,
    estimator_checks.check_valid_tag_types,
    estimator_checks.check_mixin_order,
    estimator_checks.check_no_attributes_set_in_init,
    estimator_checks.check_parameters_default_constructible,
    estimator_checks.check_do_not_raise_errors_in_init_or_set_params,
    estimator_checks.check_get_params_invariance,
    estimator_checks.check_set_params,
    estimator_checks.check_estimators_unfitted,
    estimator_checks.check_transformers_unfitted,
    estimator_checks.check_transformer_n_iter,
]

# feature-engine's error when a variable is not a column
ABSENT_VARIABLE = "Some of the variables are not in the dataframe"


def learned_attributes(transformer) -> list[str]:
    """The names scikit-learn reads as learned state: ending, not starting, in _."""
    return [
        name
        for name in vars(transformer)
        if name.endswith("_") and not name.startswith("__")
    ]


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_nothing_learned_before_fit(transformer, houses):
    # Given a transformer just constructed
    unfitted = clone(transformer)
    # When nothing else happens
    # Then it holds no learned attribute; fitting gives it some
    assert learned_attributes(unfitted) == []
    assert learned_attributes(unfitted.fit(houses)) != []


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_not_fitted(transformer, houses):
    # Given a transformer never fitted
    unfitted = clone(transformer)
    # When it transforms
    # Then scikit-learn's NotFittedError says so
    with pytest.raises(NotFittedError):
        unfitted.transform(houses)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_fit_returns_self(transformer, houses):
    # Given a transformer
    unfitted = clone(transformer)
    # When it is fitted
    result = unfitted.fit(houses)
    # Then fit returns the transformer itself, so calls chain
    assert result is unfitted


@pytest.mark.parametrize("transformer", COLUMN_KEEPERS, ids=COLUMN_KEEPER_IDS)
def test_default_instance_changes_nothing(transformer, houses):
    # Given a transformer made with its defaults: no variables
    default = type(transformer)()
    # When it is fitted and applied
    result = default.fit_transform(houses)
    # Then the records come out as they went in
    pd.testing.assert_frame_equal(result, houses)


def test_default_feature_selector_keeps_no_column(houses):
    # Given a feature selector made with its defaults: no variables
    default = FeatureSelector()
    # When it is fitted and applied
    result = default.fit_transform(houses)
    # Then every row is kept and no column
    assert result.shape == (len(houses), 0)
    assert result.index.equals(houses.index)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_transform_leaves_the_input_unchanged(transformer, houses):
    # Given a fitted transformer and a copy of the records
    fitted = clone(transformer).fit(houses)
    before = houses.copy(deep=True)
    # When the records are transformed
    fitted.transform(houses)
    # Then the caller's frame is as it was
    pd.testing.assert_frame_equal(houses, before)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_clone_has_the_parameters_and_nothing_learned(transformer, houses):
    # Given a fitted transformer
    fitted = clone(transformer).fit(houses)
    # When it is cloned
    copy = clone(fitted)
    # Then the clone has the same parameters and must be fitted again
    assert copy.get_params() == fitted.get_params()
    assert learned_attributes(copy) == []
    with pytest.raises(NotFittedError):
        copy.transform(houses)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_set_params_round_trips_get_params(transformer):
    # Given the parameters of a transformer
    params = transformer.get_params()
    # When they are set on a fresh default instance
    rebuilt = type(transformer)().set_params(**params)
    # Then that instance has the same parameters
    assert rebuilt.get_params() == params


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_set_output_pandas_names_the_columns(transformer, houses):
    # Given a transformer asked for pandas output
    configured = clone(transformer).set_output(transform="pandas")
    # When it is fitted and applied
    result = configured.fit_transform(houses)
    # Then the output's columns are get_feature_names_out, rows keep their index
    assert result.columns.tolist() == list(configured.get_feature_names_out())
    assert result.index.equals(houses.index)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_feature_names_in_are_the_columns_seen_in_fit(transformer, houses):
    # Given records with five columns
    # When a transformer is fitted on them
    fitted = clone(transformer).fit(houses)
    # Then it records their names and number, as scikit-learn estimators do
    assert fitted.feature_names_in_ == houses.columns.tolist()
    assert fitted.n_features_in_ == 5


@pytest.mark.parametrize(
    ("as_input", "error", "message"),
    [
        (lambda X: X.to_numpy().tolist(), TypeError, "X must be a numpy array or"),
        # check_X names an array's columns x0, x1, ...: not the variables
        (lambda X: X.to_numpy(), KeyError, ABSENT_VARIABLE),
    ],
    ids=["list of rows", "array without column names"],
)
@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_input_is_not_a_dataframe(
    transformer, as_input, error, message, houses
):
    # Given the records as a list of rows, or as a NumPy array
    records = as_input(houses)
    # When a transformer is fitted on them
    # Then feature-engine's checks refuse them
    with pytest.raises(error, match=message):
        clone(transformer).fit(records)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_fitted_on_no_rows(transformer, houses):
    # Given records without a single row
    empty = houses.iloc[:0]
    # When a transformer is fitted on them
    # Then the error says there is nothing to learn from
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(0, 5\)\)"):
        clone(transformer).fit(empty)


WRONG_COLUMN_COUNT = "The number of columns in this dataset is different"


@pytest.mark.parametrize(
    "other_columns",
    [lambda X: X.drop(columns=X.columns[0]), lambda X: X.assign(PoolQC="Ex")],
    ids=["a column absent", "an extra column"],
)
@pytest.mark.parametrize("transformer", COLUMN_KEEPERS, ids=COLUMN_KEEPER_IDS)
def test_error_when_columns_differ_from_fit_at_transform(
    transformer, other_columns, houses
):
    # Given a fitted transformer and records with a column fewer, or one more
    fitted = clone(transformer).fit(houses)
    # When they are transformed
    # Then feature-engine's check says the columns differ from fit's
    with pytest.raises(ValueError, match=WRONG_COLUMN_COUNT):
        fitted.transform(other_columns(houses))


@pytest.mark.parametrize("transformer", COLUMN_KEEPERS, ids=COLUMN_KEEPER_IDS)
def test_error_names_the_column_renamed_at_transform(transformer, houses):
    # Given a fitted transformer and records with one column under another name
    fitted = clone(transformer).fit(houses)
    renamed = houses.rename(columns={"Neighborhood": "Suburb"})
    # When they are transformed
    # Then the error names the column seen in fit that is not there
    with pytest.raises(KeyError, match="Neighborhood"):
        fitted.transform(renamed)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_columns_in_another_order_are_found_by_name(transformer, houses):
    # Given a fitted transformer and the records with their columns reversed
    fitted = clone(transformer).fit(houses)
    reversed_columns = houses[houses.columns[::-1]]
    # When both orders are transformed
    result = fitted.transform(reversed_columns)
    # Then the output is the same, in the order seen in fit
    pd.testing.assert_frame_equal(result, fitted.transform(houses))


@pytest.mark.parametrize("check", ESTIMATOR_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_passes_sklearn_estimator_check(transformer, check):
    # Given one of scikit-learn's estimator checks
    name = type(transformer).__name__
    # When it runs on the transformer
    # Then it raises nothing
    check(name, clone(transformer))


class SelectorLearningInInit(FeatureSelector):
    """Breaks the contract: sets learned state in ``__init__``."""

    def __init__(self, variables=None):
        self.variables = variables
        self.variables_ = []


class SelectorWithMutableDefault(FeatureSelector):
    """Breaks the contract: a list as default, shared by every instance."""

    def __init__(self, variables=["LotArea"]):  # noqa: B006 (the point of the test)
        self.variables = variables


@pytest.mark.parametrize(
    "broken, check",
    [
        (SelectorLearningInInit(), estimator_checks.check_no_attributes_set_in_init),
        (
            SelectorWithMutableDefault(),
            estimator_checks.check_parameters_default_constructible,
        ),
    ],
    ids=["learned state in __init__", "mutable default"],
)
def test_estimator_check_fails_for_a_transformer_breaking_the_contract(broken, check):
    # Given a transformer that breaks the contract
    # When the estimator check for that part of the contract runs on it
    # Then the check fails: the passing checks above can fail
    with pytest.raises(AssertionError):
        check("Broken", broken)
