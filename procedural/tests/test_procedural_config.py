"""The hard-coded parameters are what a fresh fit on the training split learns.

When the data changes, these tests fail and name the parameter that went stale.
Each parameter is learned again here with plain pandas, as the notebooks learn it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import Lasso
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from procedural import config
from procedural import preprocessing as pp

RARE_TOLERANCE = 0.01

# The research choices for every variable; config keeps those of the selected ones.
ALL_TEMPORAL_VARS = ["YearBuilt", "YearRemodAdd", "GarageYrBlt"]
ALL_LOG_VARS = ["LotFrontage", "LotArea", "1stFlrSF", "GrLivArea"]
ALL_BINARIZE_VARS = [
    "BsmtFinSF2",
    "LowQualFinSF",
    "EnclosedPorch",
    "3SsnPorch",
    "ScreenPorch",
    "MiscVal",
]
ALL_QUALITY_VARS = [
    "ExterQual",
    "ExterCond",
    "BsmtQual",
    "BsmtCond",
    "HeatingQC",
    "KitchenQual",
    "FireplaceQu",
    "GarageQual",
    "GarageCond",
    "PoolQC",
]
ALL_MAPPINGS = {
    **dict.fromkeys(ALL_QUALITY_VARS, config.QUALITY_MAPPINGS),
    "BsmtExposure": config.EXPOSURE_MAPPINGS,
    "BsmtFinType1": config.FINISH_MAPPINGS,
    "BsmtFinType2": config.FINISH_MAPPINGS,
    "GarageFinish": config.GARAGE_MAPPINGS,
    "Fence": {"Missing": 0, "MnWw": 1, "GdWo": 2, "MnPrv": 3, "GdPrv": 4},
}


@pytest.fixture(scope="module")
def training_split(real_data_dir) -> tuple[pd.DataFrame, pd.Series]:
    """The training split of train.csv, MSSubClass as labels, and the log price."""
    data = pd.read_csv(real_data_dir / "train.csv")
    X_train, _, y_train, _ = train_test_split(
        data.drop(columns=["Id", "SalePrice"]),
        np.log(data["SalePrice"]),
        test_size=config.TEST_SIZE,
        random_state=config.RANDOM_STATE,
    )
    return X_train.assign(MSSubClass=X_train["MSSubClass"].astype("str")), y_train


@pytest.fixture(scope="module")
def learned(training_split) -> dict:
    """Every parameter, learned again on the training split for every variable."""
    X, y = training_split
    categorical = [v for v in X.columns if not pd.api.types.is_numeric_dtype(X[v])]
    numerical = [v for v in X.columns if v not in categorical]
    with_na = [v for v in categorical if X[v].isna().any()]
    modes = {v: X[v].mode()[0] for v in categorical if v not in with_na}
    imputed = X[categorical].fillna({**dict.fromkeys(with_na, "Missing"), **modes})

    encoded = [v for v in categorical if v not in ALL_MAPPINGS]
    frequent, encodings = {}, {}
    for var in encoded:
        shares = imputed[var].value_counts(normalize=True)
        frequent[var] = sorted(shares[shares >= RARE_TOLERANCE].index)
        grouped = imputed[var].where(imputed[var].isin(frequent[var]), "Rare")
        order = y.groupby(grouped).mean().sort_values().index
        encodings[var] = {label: code for code, label in enumerate(order)}

    return {
        "categorical": categorical,
        "numerical": numerical,
        "seen_labels": {v: sorted(X[v].dropna().unique()) for v in categorical},
        "with_na": with_na,
        "modes": modes,
        "means": {v: X[v].mean() for v in numerical},
        "frequent_labels": frequent,
        "encodings": encodings,
    }


def test_features_are_categorical_or_numerical(learned):
    # Given the variables' types in the training split
    # When the features are sorted by type
    categorical = [v for v in config.FEATURES if v in learned["categorical"]]
    numerical = [v for v in config.FEATURES if v in learned["numerical"]]
    # Then config holds labels for each categorical one, a mean for each numerical one
    assert list(config.SEEN_LABELS) == categorical
    assert list(config.NUMERICAL_MEANS) == [*numerical, config.REFERENCE_VARIABLE]


def test_seen_labels_are_the_labels_of_the_training_split(learned):
    # Given the labels each variable has in the training split
    # When config's are compared with them
    # Then they are equal
    assert config.SEEN_LABELS == {
        v: learned["seen_labels"][v] for v in config.SEEN_LABELS
    }


def test_missing_label_goes_to_variables_missing_in_training(learned):
    # Given the categorical variables with missing values in the training split
    expected = [v for v in learned["with_na"] if v in config.SEEN_LABELS]
    # When config's are compared with them
    # Then they are equal
    assert config.CATEGORICAL_VARS_WITH_NA_MISSING == expected


def test_frequent_labels_for_imputation_are_the_training_modes(learned):
    # Given the most frequent label of each variable complete in training
    expected = {v: m for v, m in learned["modes"].items() if v in config.SEEN_LABELS}
    # When config's are compared with them
    # Then they are equal
    assert config.CATEGORICAL_FREQUENT_LABELS == expected


def test_numerical_means_are_the_training_means_exactly(learned):
    # Given the mean of each numerical variable in the training split
    expected = {v: learned["means"][v] for v in config.NUMERICAL_MEANS}
    # When config's are compared with them
    # Then they are equal to the last bit
    assert config.NUMERICAL_MEANS == expected


def test_frequent_labels_are_those_of_at_least_one_percent_of_rows(learned):
    # Given the labels of each encoded variable found in >= 1 % of training rows
    expected = {v: learned["frequent_labels"][v] for v in config.FREQUENT_LABELS}
    # When config's are compared with them
    # Then they are equal, and cover every encoded feature
    assert config.FREQUENT_LABELS == expected
    assert set(config.FREQUENT_LABELS) == set(config.SEEN_LABELS) - set(config.MAPPINGS)


def test_encodings_number_labels_by_mean_log_price(learned):
    # Given each encoded variable's labels ordered by their mean log price
    expected = {v: learned["encodings"][v] for v in config.ENCODING_MAPPINGS}
    # When config's are compared with them
    # Then they are equal, order included
    assert config.ENCODING_MAPPINGS == expected
    for var, encoding in config.ENCODING_MAPPINGS.items():
        assert list(encoding) == list(expected[var]), var


def test_features_are_those_lasso_selection_keeps(training_split, learned):
    # Given every variable of the training split, preprocessed with the fresh
    # parameters, and the missing indicators the research adds
    X, y = training_split
    indicators = {
        f"{v}_na": X[v].isna().astype("int64")
        for v in learned["numerical"]
        if X[v].isna().any()
    }
    data = X.assign(**indicators)
    data = pp.impute_with_missing_label(data, learned["with_na"])
    data = pp.impute_with_frequent_label(data, learned["modes"])
    data = pp.impute_numerical(data, learned["means"])
    data = pp.elapsed_years(data, ALL_TEMPORAL_VARS, config.REFERENCE_VARIABLE)
    data = data.drop(columns=[config.REFERENCE_VARIABLE])
    data = pp.log_transform(data, ALL_LOG_VARS)
    data = pp.binarize(data, ALL_BINARIZE_VARS)
    data = pp.map_labels(data, ALL_MAPPINGS)
    data = pp.group_rare_labels(data, learned["frequent_labels"])
    data = pp.map_labels(data, learned["encodings"])
    # When Lasso selection runs on the scaled variables
    lasso = Lasso(alpha=config.ALPHA, random_state=config.RANDOM_STATE)
    selector = SelectFromModel(lasso).fit(MinMaxScaler().fit_transform(data), y)
    # Then it keeps exactly config's features, in config's order
    assert data.columns[selector.get_support()].tolist() == config.FEATURES
