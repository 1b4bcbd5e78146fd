"""The configuration: config.yml loads, and a bad file fails naming what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import regression_model
from regression_model.config import CONFIG_FILE, Config, ConfigError, load_config


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
