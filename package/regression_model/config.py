"""The package's configuration: ``config.yml`` loaded into pydantic v2 models.

Every parameter and hyperparameter lives in ``config.yml``. :func:`load_config` reads
it into :class:`Config`, whose models forbid unknown keys and check every type, so a
misspelt key or a wrong value fails at once, with a message naming it.

The course called the two sections ``app_config`` and ``model_config``; pydantic 2
reserves ``model_config`` for a model's own settings, so here they are ``app`` and
``model``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PACKAGE_ROOT = Path(__file__).resolve().parent
CONFIG_FILE = PACKAGE_ROOT / "config.yml"
# The installed package knows nothing of the repository it was built in: data and
# outputs are found relative to the working directory (or passed explicitly), and
# only the trained model ships inside the package.
DEFAULT_DATA_DIR = Path("data")
DEFAULT_TRAINED_DIR = PACKAGE_ROOT / "trained_models"
DEFAULT_OUTPUT_FILE = Path("predictions.csv")

DATA_DIR_ENV = "REGRESSION_MODEL_DATA_DIR"
TRAINED_DIR_ENV = "REGRESSION_MODEL_TRAINED_DIR"


class ConfigError(ValueError):
    """The configuration file is missing, not YAML, or does not match the models."""


class _Section(BaseModel):
    """A config section: unknown keys are errors and values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AppConfig(_Section):
    """Where the data and the trained pipeline live."""

    package_name: str
    training_data_file: str
    test_data_file: str
    pipeline_save_file: str


class Mapping(_Section):
    """Ordered labels of some categorical variables and the integers they become."""

    name: str
    variables: list[str] = Field(min_length=1)
    mapping: dict[str, int] = Field(min_length=1)


class ModelConfig(_Section):
    """The model: split, features, the variables of every step, hyperparameters."""

    target: str
    id_variable: str
    test_size: float = Field(gt=0, lt=1)
    random_state: int
    alpha: float = Field(gt=0)
    features: list[str] = Field(min_length=1)
    reference_variable: str
    numeric_coded_categorical_variables: list[str]
    categorical_vars_with_na_missing: list[str]
    categorical_vars_with_na_frequent: list[str]
    numerical_variables: list[str]
    temporal_variables: list[str]
    log_variables: list[str]
    binarize_variables: list[str]
    binarize_threshold: float
    mappings: list[Mapping]
    categorical_vars_to_encode: list[str]
    rare_label_tol: float = Field(ge=0, le=1)
    rare_label_n_categories: int = Field(ge=0)
    min_price: float = Field(gt=0)
    max_price: float = Field(gt=0)
    min_training_rows: int = Field(ge=2)
    max_holdout_rmse_log: float = Field(gt=0)

    @property
    def categorical_variables(self) -> list[str]:
        """Every categorical input variable: the two imputation groups together."""
        return (
            self.categorical_vars_with_na_missing
            + self.categorical_vars_with_na_frequent
        )

    @property
    def input_variables(self) -> list[str]:
        """The raw columns the pipeline reads: the features and the reference year."""
        return [*self.features, self.reference_variable]

    @model_validator(mode="after")
    def _check_every_variable_is_an_input(self) -> ModelConfig:
        inputs = set(self.input_variables)
        groups = {
            "numeric_coded_categorical_variables": (
                self.numeric_coded_categorical_variables
            ),
            "categorical_vars_with_na_missing": self.categorical_vars_with_na_missing,
            "categorical_vars_with_na_frequent": self.categorical_vars_with_na_frequent,
            "numerical_variables": self.numerical_variables,
            "temporal_variables": self.temporal_variables,
            "log_variables": self.log_variables,
            "binarize_variables": self.binarize_variables,
            "categorical_vars_to_encode": self.categorical_vars_to_encode,
        }
        for index, mapping in enumerate(self.mappings):
            groups[f"mappings.{index}.variables"] = mapping.variables
        for name, variables in groups.items():
            unknown = sorted(set(variables) - inputs)
            if unknown:
                raise ValueError(
                    f"{name} lists variables that are not inputs: {unknown}"
                )
        return self


class Config(_Section):
    """The whole ``config.yml``."""

    app: AppConfig
    model: ModelConfig


@functools.cache
def load_config(path: Path = CONFIG_FILE) -> Config:
    """Read and check a configuration file (cached: each file is read once).

    Parameters
    ----------
    path : Path, default=CONFIG_FILE
        The YAML file; the package's own ``config.yml`` by default.

    Returns
    -------
    Config
        The checked, read-only configuration.

    Raises
    ------
    ConfigError
        If the file is missing, is not YAML, or has an unknown key, a missing key or
        a value of the wrong type (the message names the file and the key).
    """
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"cannot read config file {path}: {error}") from error
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"invalid config file {path}:\n{error}") from error


def data_dir() -> Path:
    """The folder holding the Kaggle CSV files.

    ``$REGRESSION_MODEL_DATA_DIR`` if set, else ``data/`` in the working directory.
    """
    return Path(os.environ.get(DATA_DIR_ENV, DEFAULT_DATA_DIR))


def default_trained_dir() -> Path:
    """The trained folder the package saves its model to and loads it from.

    ``$REGRESSION_MODEL_TRAINED_DIR`` if set, else the package's ``trained_models/``
    (where ``make run-package`` trains, so that a wheel built afterwards carries the
    model). Code that has a folder passes it instead: every function that loads or
    saves a model takes ``trained_dir``.
    """
    return Path(os.environ.get(TRAINED_DIR_ENV, DEFAULT_TRAINED_DIR))
