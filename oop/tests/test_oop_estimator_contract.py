"""Every transformer keeps scikit-learn's estimator contract.

The same behaviours, checked on each transformer: nothing learned before ``fit``,
the caller's frame never changed, ``clone`` and ``get_params``/``set_params``
round-trip, ``set_output`` works, and scikit-learn's own estimator checks pass,
those that apply to transformers that take DataFrames only (the others feed NumPy
arrays or sparse matrices, which a transformer finding columns by name rejects).
"""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks

from oop.transformers import (
    Binarizer,
    CategoricalCaster,
    CategoricalImputer,
    FeatureSelector,
    LogTransformer,
    Mapper,
    MeanImputer,
    OrderedOrdinalEncoder,
    RareLabelEncoder,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)

TRANSFORMERS = [
    CategoricalCaster(variables=["MSSubClass"]),
    UnseenLabelsToMissing(variables=["Neighborhood"]),
    CategoricalImputer(variables=["Neighborhood"]),
    MeanImputer(variables=["LotArea"]),
    TemporalVariableTransformer(variables=["YearRemodAdd"]),
    LogTransformer(variables=["LotArea"]),
    Binarizer(variables=["ScreenPorch"]),
    Mapper(variables=["KitchenQual"], mappings={"TA": 3, "Gd": 4, "Ex": 5}),
    RareLabelEncoder(variables=["Neighborhood"], tol=0.3),
    OrderedOrdinalEncoder(variables=["Neighborhood"]),
    FeatureSelector(features=["LotArea", "MSSubClass"]),
]
IDS = [type(transformer).__name__ for transformer in TRANSFORMERS]

# The estimator checks that apply to DataFrame-only transformers.
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


@pytest.fixture
def complete_houses(houses) -> pd.DataFrame:
    """The records with every value present, as the later steps need them."""
    return houses.fillna({"MSSubClass": 20, "Neighborhood": "Missing", "LotArea": 1e4})


def fitted(transformer, X, y):
    return clone(transformer).fit(X, y)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_not_fitted(transformer, complete_houses):
    # Given a transformer never fitted
    unfitted = clone(transformer)
    # When it transforms
    # Then scikit-learn's NotFittedError says so
    with pytest.raises(NotFittedError):
        unfitted.transform(complete_houses)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_fit_returns_self(transformer, complete_houses, log_prices):
    # Given a transformer
    unfitted = clone(transformer)
    # When it is fitted
    result = unfitted.fit(complete_houses, log_prices)
    # Then fit returns the transformer itself, so calls chain
    assert result is unfitted


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_transform_leaves_the_input_unchanged(transformer, complete_houses, log_prices):
    # Given a fitted transformer and a copy of the records
    fitted_transformer = fitted(transformer, complete_houses, log_prices)
    before = complete_houses.copy(deep=True)
    # When the records are transformed
    fitted_transformer.transform(complete_houses)
    # Then the caller's frame is as it was
    pd.testing.assert_frame_equal(complete_houses, before)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_clone_has_the_parameters_and_nothing_learned(
    transformer, complete_houses, log_prices
):
    # Given a fitted transformer
    fitted_transformer = fitted(transformer, complete_houses, log_prices)
    # When it is cloned
    copy = clone(fitted_transformer)
    # Then the clone has the same parameters and must be fitted again
    assert copy.get_params() == fitted_transformer.get_params()
    with pytest.raises(NotFittedError):
        copy.transform(complete_houses)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_set_params_round_trips_get_params(transformer):
    # Given the parameters of a transformer
    params = transformer.get_params()
    # When they are set on a fresh default instance
    rebuilt = type(transformer)().set_params(**params)
    # Then that instance has the same parameters
    assert rebuilt.get_params() == params


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_set_output_pandas_names_the_columns(transformer, complete_houses, log_prices):
    # Given a transformer asked for pandas output
    configured = clone(transformer).set_output(transform="pandas")
    # When it is fitted and applied
    result = configured.fit_transform(complete_houses, log_prices)
    # Then the output's columns are get_feature_names_out, rows keep their index
    assert result.columns.tolist() == configured.get_feature_names_out().tolist()
    assert result.index.equals(complete_houses.index)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_input_is_not_a_dataframe(transformer, complete_houses, log_prices):
    # Given records as a NumPy array, without column names
    array = complete_houses.to_numpy()
    # When a transformer is fitted on them
    # Then the error says a DataFrame is needed
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        clone(transformer).fit(array, log_prices)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_fitted_on_no_rows(transformer, complete_houses, log_prices):
    # Given records without a single row
    empty = complete_houses.iloc[:0]
    # When a transformer is fitted on them
    # Then the error says there is nothing to learn from
    with pytest.raises(ValueError, match="no data to fit on"):
        clone(transformer).fit(empty, log_prices[:0])


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_feature_names_in_are_the_columns_seen_in_fit(
    transformer, complete_houses, log_prices
):
    # Given records with seven columns
    # When a transformer is fitted on them
    fitted_transformer = fitted(transformer, complete_houses, log_prices)
    # Then it records their names and number, as scikit-learn estimators do
    assert fitted_transformer.feature_names_in_.tolist() == list(complete_houses)
    assert fitted_transformer.n_features_in_ == 7


@pytest.mark.parametrize("check", ESTIMATOR_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_passes_sklearn_estimator_check(transformer, check):
    # Given one of scikit-learn's estimator checks
    name = type(transformer).__name__
    # When it runs on the transformer
    # Then it raises nothing
    check(name, clone(transformer))


class ImputerLearningInInit(MeanImputer):
    """Breaks the contract: sets learned state in ``__init__``."""

    def __init__(self, variables=None):
        self.variables = variables
        self.imputer_dict_ = {}


def test_estimator_check_fails_for_a_transformer_breaking_the_contract():
    # Given a transformer that sets learned state in __init__
    broken = ImputerLearningInInit(variables=["LotArea"])
    # When check_no_attributes_set_in_init runs on it
    # Then the check fails: the passing checks above can fail
    with pytest.raises(AssertionError):
        estimator_checks.check_no_attributes_set_in_init("Broken", broken)
