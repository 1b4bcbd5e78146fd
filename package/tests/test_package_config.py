"""The configuration: config.yml loads, a bad file fails naming what is wrong, and
the facts it records about the training data still hold for that data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import regression_model
from regression_model.config import CONFIG_FILE, Config, ConfigError, load_config
from regression_model.processing.data_manager import load_dataset
from regression_model.train_pipeline import split_data


def write_config(tmp_path: Path, change: dict[str, object]) -> Path:
    """A copy of config.yml with some keys of its `model` section changed."""
    raw = yaml.safe_load(CONFIG_FILE.read_text())
    raw["model"].update(change)
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_loads_package_config():
    # When
    config = load_config()

    # Then
    assert isinstance(config, Config)
    assert len(config.model.features) == 36
    assert config.model.alpha == 0.001
    assert config.model.input_variables[-1] == "YrSold"


def test_error_names_unknown_key(tmp_path):
    # Given
    path = write_config(tmp_path, {"alpah": 0.01})

    # When / Then
    with pytest.raises(ConfigError, match=r"(?s)config\.yml.*model\.alpah"):
        load_config(path)


def test_error_names_value_of_wrong_type(tmp_path):
    # Given
    path = write_config(tmp_path, {"test_size": "ten percent"})

    # When / Then
    with pytest.raises(ConfigError, match=r"(?s)model\.test_size.*valid number"):
        load_config(path)


def test_error_names_variable_that_is_not_an_input(tmp_path):
    # Given
    path = write_config(tmp_path, {"log_variables": ["GrLivArea", "PoolArea"]})

    # When / Then
    with pytest.raises(ConfigError, match=r"log_variables.*PoolArea"):
        load_config(path)


def test_error_when_config_file_missing(tmp_path):
    # When / Then
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_config(tmp_path / "absent.yml")


def test_version_is_semantic_and_read_from_version_file():
    # Given
    version_file = Path(regression_model.__file__).with_name("VERSION")

    # Then
    assert regression_model.__version__ == version_file.read_text().strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", regression_model.__version__)


@pytest.fixture(scope="module")
def training_split(kaggle_dir) -> pd.DataFrame:
    """The inputs of the training split of train.csv, exactly as training splits it."""
    config = load_config()
    data = load_dataset(config.app.training_data_file, kaggle_dir)
    X_train, _, _, _ = split_data(data, config)
    return X_train


def test_categorical_groups_are_the_model_categorical_features(training_split):
    # Given the model's features that train.csv stores as text, and those stored as
    # numbers that are categories
    model = load_config().model
    textual = [
        feature
        for feature in model.features
        if not pd.api.types.is_numeric_dtype(training_split[feature])
    ]
    categorical = [*textual, *model.numeric_coded_categorical_variables]

    # When the two imputation groups of config.yml are put together
    groups = [
        *model.categorical_vars_with_na_missing,
        *model.categorical_vars_with_na_frequent,
    ]

    # Then they hold every categorical feature exactly once
    assert sorted(groups) == sorted(categorical)


def test_categorical_vars_with_na_missing_are_those_missing_in_training_split(
    training_split,
):
    # Given the categorical features of config.yml, both imputation groups
    model = load_config().model

    # When we relearn which had a missing value in the training split
    has_missing = training_split[model.categorical_variables].isna().any()
    relearned = has_missing[has_missing].index.tolist()

    # Then config.yml's "Missing" group is exactly those, and the other had none
    assert sorted(relearned) == sorted(model.categorical_vars_with_na_missing)
    assert not has_missing[model.categorical_vars_with_na_frequent].any()
