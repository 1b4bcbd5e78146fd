"""The package's own transformers keep scikit-learn's estimator contract.

The same behaviours, checked on each transformer of ``processing.features``: nothing
learned before ``fit``, default-constructible, the caller's frame never changed,
``clone`` and ``get_params``/``set_params`` round-trip, ``NotFittedError`` before
``fit``, columns checked at ``transform``, and scikit-learn's own estimator checks,
the selection that applies to transformers taking DataFrames only (the others feed
NumPy arrays or sparse matrices, which a transformer finding columns by name
rejects). The OOP stage runs the same selection on its transformers; a negative
control shows that the checks can fail. Last, the ``Mapper`` and unseen labels under
the scoring contract.
"""

from __future__ import annotations

import pandas as pd
import pytest
from feature_engine.imputation import CategoricalImputer
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils import estimator_checks

from regression_model.processing.features import (
    FeatureSelector,
    Mapper,
    NumericCodedCategoricalTransformer,
    TemporalVariableTransformer,
    UnseenLabelsToMissing,
)

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
    assert result.columns.tolist() == configured.get_feature_names_out().tolist()
    assert result.index.equals(houses.index)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_feature_names_in_are_the_columns_seen_in_fit(transformer, houses):
    # Given records with five columns
    # When a transformer is fitted on them
    fitted = clone(transformer).fit(houses)
    # Then it records their names and number, as scikit-learn estimators do
    assert fitted.feature_names_in_.tolist() == houses.columns.tolist()
    assert fitted.n_features_in_ == 5


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_input_is_not_a_dataframe(transformer, houses):
    # Given records as a NumPy array, without column names
    array = houses.to_numpy()
    # When a transformer is fitted on them
    # Then the error says a DataFrame is needed
    with pytest.raises(TypeError, match="must be a pandas DataFrame, got ndarray"):
        clone(transformer).fit(array)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_when_fitted_on_no_rows(transformer, houses):
    # Given records without a single row
    empty = houses.iloc[:0]
    # When a transformer is fitted on them
    # Then the error says there is nothing to learn from
    with pytest.raises(ValueError, match=r"no data to fit on: X has shape \(0, 5\)"):
        clone(transformer).fit(empty)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=IDS)
def test_error_names_the_column_missing_at_transform(transformer, houses):
    # Given a fitted transformer and records without its first variable
    fitted = clone(transformer).fit(houses)
    absent = transformer.get_params()["variables"][0]
    # When they are transformed
    # Then the error names that column, and only it
    with pytest.raises(ValueError, match=rf"(missing|no column\(s\)) \['{absent}'\]"):
        fitted.transform(houses.drop(columns=absent))


@pytest.mark.parametrize("transformer", COLUMN_KEEPERS, ids=COLUMN_KEEPER_IDS)
def test_error_names_a_column_unseen_in_fit(transformer, houses):
    # Given a fitted transformer and records with a column it did not see in fit
    fitted = clone(transformer).fit(houses)
    # When they are transformed
    # Then the error names that column
    with pytest.raises(ValueError, match=r"missing \[\], unexpected \['PoolQC'\]"):
        fitted.transform(houses.assign(PoolQC="Ex"))


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


# The Mapper under the scoring contract: an unseen label becomes missing, then a
# training label, before it is mapped; a label that reaches the Mapper without a code
# is an error naming it, never a silent NaN.


def test_mapper_error_names_label_without_a_code_at_transform(houses):
    # Given a Mapper fitted on labels that all have a code
    mapper = Mapper(variables=["ExterQual"], mappings=QUALITY).fit(houses)
    unseen = houses.assign(ExterQual=["TA", "Superb", "Gd"])
    # When a label without a code reaches it
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"\{'ExterQual': \['Superb'\]\}"):
        mapper.transform(unseen)


def test_mapper_error_names_label_without_a_code_at_fit(houses):
    # Given a mapping without the training label "Missing"
    mapper = Mapper(variables=["ExterQual"], mappings={"TA": 3, "Gd": 4})
    # When it is fitted
    # Then the error names the variable and the label
    with pytest.raises(ValueError, match=r"\{'ExterQual': \['Missing'\]\}"):
        mapper.fit(houses)


def test_mapper_error_names_missing_value(houses):
    # Given a fitted Mapper and records where one label is missing
    mapper = Mapper(variables=["ExterQual"], mappings=QUALITY).fit(houses)
    with_missing = houses.assign(ExterQual=["TA", None, "Gd"])
    # When they are mapped
    # Then the error names the variable and the row: impute first
    with pytest.raises(
        ValueError, match=r"\(impute them first\) in ExterQual \(rows \[1\]\)"
    ):
        mapper.transform(with_missing)


@pytest.mark.filterwarnings("ignore:For backward compatibility, 'str' dtypes")
def test_unseen_label_is_imputed_then_mapped_as_in_the_pipeline():
    # Given the package's steps in the pipeline's order, fitted on training labels
    steps = Pipeline(
        [
            ("unseen", UnseenLabelsToMissing(variables=["ExterQual"])),
            (
                "impute",
                CategoricalImputer(
                    imputation_method="frequent", variables=["ExterQual"]
                ),
            ),
            ("map", Mapper(variables=["ExterQual"], mappings=QUALITY)),
        ]
    ).fit(pd.DataFrame({"ExterQual": ["TA", "TA", "Gd"]}))
    # When a label never seen in training arrives
    result = steps.transform(pd.DataFrame({"ExterQual": ["Superb", "Gd"]}))
    # Then it is priced as the most frequent training label (TA = 3)
    pd.testing.assert_frame_equal(result, pd.DataFrame({"ExterQual": [3, 4]}))
