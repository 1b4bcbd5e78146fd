"""Train the model on the training split, report the holdout, save the artifact.

Run it as ``python -m regression_model.train_pipeline [--data-dir DIR]
[--trained-dir DIR] [--force]``: it reads ``train.csv`` from ``data/`` in the working
directory (or ``--data-dir``) and saves into the trained folder ``--trained-dir``, by
default :func:`regression_model.config.default_trained_dir` (the package's
``trained_models/``, where a wheel built afterwards picks the model up).

Training checks what goes in and what comes out. ``train.csv`` is checked first
(:mod:`regression_model.processing.training_data`): a bad file trains nothing. The
fitted model must then pass a quality gate on the holdout (:func:`quality_gate`),
or it is not saved: shuffled prices still fit a model, just a useless one.
"""

from __future__ import annotations

import argparse
import platform
import sys
import warnings
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import r2_score, root_mean_squared_error
from sklearn.model_selection import train_test_split

from regression_model import __version__
from regression_model.config import Config, ConfigError, data_dir, load_config
from regression_model.monitoring.reference import build_reference, save_reference
from regression_model.pipeline import build_pipeline
from regression_model.processing.data_manager import file_sha256, save_pipeline
from regression_model.processing.training_data import (
    TrainingDataError,
    load_training_data,
)
from regression_model.serving.compile import compile_plan, plan_to_json

# The price range: the 10 % and 90 % quantiles of the holdout's log residuals
PRICE_RANGE_QUANTILES = (0.1, 0.9)

LIBRARIES = ["numpy", "pandas", "scikit-learn", "feature-engine", "pydantic", "skops"]


class ModelQualityError(RuntimeError):
    """The trained model failed the quality gate, so it was not saved."""


def split_data(
    data: pd.DataFrame, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """Split ``train.csv`` into training and holdout parts (inputs and prices).

    The inputs are the model's input columns, in the order of ``config.yml``: the
    pipeline's first step learns them from the frame it is fitted on.
    """
    model = config.model
    X = data[model.input_variables]
    y = data[model.target]
    X_train, X_holdout, y_train, y_holdout = train_test_split(
        X, y, test_size=model.test_size, random_state=model.random_state
    )
    return X_train, X_holdout, y_train, y_holdout


def fit_pipeline(
    pipeline: TransformedTargetRegressor, X: pd.DataFrame, y: pd.Series
) -> TransformedTargetRegressor:
    """Fit the pipeline, silencing one known, harmless pandas 3 warning.

    feature-engine 1.9 checks categorical columns with
    ``select_dtypes(exclude=["O", "category"])``, which pandas 3 warns will stop
    matching its new ``str`` dtype; today it still does, so the check is right.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message="For backward compatibility, 'str' dtypes are excluded",
            category=DeprecationWarning,
        )
        return pipeline.fit(X, y)


def holdout_metrics(
    pipeline: TransformedTargetRegressor, X: pd.DataFrame, y: pd.Series
) -> dict[str, float]:
    """RMSE and R² of the holdout, on the log price (the fitted scale) and in $."""
    log_predictions = pipeline.regressor_.predict(X)
    predictions = pipeline.predict(X)
    return {
        "rmse_log": float(root_mean_squared_error(np.log(y), log_predictions)),
        "r2_log": float(r2_score(np.log(y), log_predictions)),
        "rmse_dollars": float(root_mean_squared_error(y, predictions)),
        "r2_dollars": float(r2_score(y, predictions)),
    }


def holdout_price_range(
    pipeline: TransformedTargetRegressor, X: pd.DataFrame, y: pd.Series
) -> dict[str, Any]:
    """Quantiles of the holdout's log residuals (log price - log prediction).

    ``price * exp(q)`` for the low and high quantile gives a range that held the
    sale price of that share of the holdout houses, which the model never saw.
    """
    residuals = np.log(y.to_numpy()) - pipeline.regressor_.predict(X)
    return {
        "source": "holdout log residuals, log(SalePrice) - log(prediction)",
        "quantiles": list(PRICE_RANGE_QUANTILES),
        "log_residuals": [
            float(q) for q in np.quantile(residuals, PRICE_RANGE_QUANTILES)
        ],
        "rows": len(residuals),
    }


def quality_gate(
    metrics: dict[str, float], y_train: pd.Series, y_holdout: pd.Series, config: Config
) -> dict[str, Any]:
    """Judge the holdout RMSE (log price) against ``config.yml``'s gate and a baseline.

    The baseline prices every holdout house at the mean log price of the training
    split: a model that does no better has learnt nothing from the houses.

    Returns
    -------
    dict
        ``max_holdout_rmse_log``, ``baseline_rmse_log``, ``passed`` and, if it did
        not pass, ``reason`` (one line).
    """
    gate = config.model.max_holdout_rmse_log
    baseline_prices = np.full(len(y_holdout), np.log(y_train.to_numpy()).mean())
    baseline = float(root_mean_squared_error(np.log(y_holdout), baseline_prices))
    result: dict[str, Any] = {
        "max_holdout_rmse_log": gate,
        "baseline_rmse_log": baseline,
        "passed": metrics["rmse_log"] <= gate and metrics["rmse_log"] < baseline,
    }
    if not result["passed"]:
        result["reason"] = (
            f"the model's holdout RMSE on the log price is {metrics['rmse_log']:.4f} "
            f"(R² {metrics['r2_log']:.3f}): the gate is {gate} "
            f"(max_holdout_rmse_log in config.yml) and the mean-price baseline "
            f"scores {baseline:.4f}"
        )
    return result


def library_versions() -> dict[str, str]:
    """The versions of Python and of the libraries the model depends on."""
    versions = {"python": platform.python_version()}
    versions.update({name: importlib_metadata.version(name) for name in LIBRARIES})
    return versions


def train(
    trained_dir: Path | None = None,
    data_directory: Path | None = None,
    config: Config | None = None,
    force: bool = False,
) -> tuple[TransformedTargetRegressor, dict[str, Any]]:
    """Train on the training split of ``train.csv``; save pipeline, plan and metadata.

    ``train.csv`` is checked before anything is fitted, and the fitted model is saved
    only if it passes :func:`quality_gate` (or ``force`` is true); the gate's verdict
    is saved in the metadata under ``quality_gate``.

    The scoring plan (:func:`regression_model.serving.compile.compile_plan`) is
    compiled from the fitted pipeline and saved beside it, with the holdout's price
    range (:func:`holdout_price_range`) added under ``price_range``, where whoever
    serves the plan finds it. So is the training split's drift reference
    (:func:`regression_model.monitoring.reference.build_reference`).

    Parameters
    ----------
    trained_dir : Path, optional
        The trained folder to save in;
        :func:`regression_model.config.default_trained_dir` by default.
    data_directory : Path, optional
        The folder with ``train.csv``; :func:`regression_model.config.data_dir` by
        default.
    config : Config, optional
        The configuration; the package's ``config.yml`` by default.
    force : bool, default=False
        Save the model even if it fails the quality gate.

    Returns
    -------
    pipeline : TransformedTargetRegressor
        The fitted model.
    metadata : dict
        What was saved beside it, including the holdout metrics.

    Raises
    ------
    TrainingDataError
        If ``train.csv`` is absent, unreadable or has a problem (one line each).
    ModelQualityError
        If the model fails the quality gate and ``force`` is false: nothing saved.
    """
    config = config or load_config()
    data_directory = data_directory or data_dir()
    data = load_training_data(
        config.app.training_data_file, data_directory, config.model
    )
    X_train, X_holdout, y_train, y_holdout = split_data(data, config)
    pipeline = fit_pipeline(build_pipeline(config.model), X_train, y_train)
    metrics = holdout_metrics(pipeline, X_holdout, y_holdout)
    gate = quality_gate(metrics, y_train, y_holdout, config)
    if not gate["passed"] and not force:
        raise ModelQualityError(f"not saved: {gate['reason']}; --force saves it")
    metadata: dict[str, Any] = {
        "package": config.app.package_name,
        "version": __version__,
        "training_data_file": config.app.training_data_file,
        "training_data_sha256": file_sha256(
            data_directory / config.app.training_data_file
        ),
        "training_rows": len(X_train),
        "holdout_rows": len(X_holdout),
        "holdout_metrics": metrics,
        "quality_gate": gate,
        "price_range": holdout_price_range(pipeline, X_holdout, y_holdout),
        "libraries": library_versions(),
    }
    plan = {**compile_plan(pipeline), "price_range": metadata["price_range"]}
    # the drift reference: the training split's raw features, vouched for by metadata
    reference = build_reference(
        X_train, config.model.features, config.model.categorical_variables
    )
    metadata |= save_reference(reference, trained_dir)
    path = save_pipeline(pipeline, metadata, trained_dir, plan_json=plan_to_json(plan))
    return pipeline, {**metadata, "model_file": str(path)}


def main(argv: list[str] | None = None) -> int:
    """Command line: train, print the holdout metrics and where the model went.

    Exit codes (as for ``regression_model.predict``: 0 done, 1 done in part, 2
    nothing done):

    - 0: trained and saved;
    - 1: trained, but the model failed the quality gate (:func:`quality_gate`):
      one line on stderr says why, and nothing is saved (``--force`` saves it);
    - 2: nothing trained: ``train.csv`` cannot be used (absent, unreadable, a
      column missing, too few rows, a value the predictor refuses, a price that is
      not plausible: one line per problem naming the file, row and column),
      ``config.yml`` is invalid, or the trained folder cannot be written.
    """
    parser = argparse.ArgumentParser(
        description="Train the house-price model and save it with its metadata."
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with train.csv (default: $REGRESSION_MODEL_DATA_DIR or ./data)",
    )
    parser.add_argument(
        "--trained-dir",
        type=Path,
        default=None,
        help=(
            "the trained folder to save the model in (default: "
            "$REGRESSION_MODEL_TRAINED_DIR or the package's trained_models/)"
        ),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="save the model even if it fails the quality gate",
    )
    args = parser.parse_args(argv)
    try:
        _, metadata = train(
            trained_dir=args.trained_dir, data_directory=args.data_dir, force=args.force
        )
    except TrainingDataError as error:
        return _fail(2, *error.problems)
    except ModelQualityError as error:
        return _fail(1, str(error))
    except ConfigError as error:
        return _fail(2, str(error))
    except OSError as error:  # the trained folder: not writable, a full disk
        return _fail(2, f"cannot save the model ({error})")
    metrics = metadata["holdout_metrics"]
    print(
        f"regression_model {metadata['version']}: trained on "
        f"{metadata['training_rows']} rows, holdout of {metadata['holdout_rows']}"
    )
    print(f"holdout RMSE, log price: {metrics['rmse_log']:.6f}")
    print(f"holdout R², log price: {metrics['r2_log']:.4f}")
    print(f"holdout RMSE ($): {metrics['rmse_dollars']:,.0f}")
    print(f"holdout R² ($): {metrics['r2_dollars']:.4f}")
    low, high = metadata["price_range"]["log_residuals"]
    print(
        f"price range (10-90 % of holdout residuals): price x {np.exp(low):.3f} "
        f"to x {np.exp(high):.3f}"
    )
    if not metadata["quality_gate"]["passed"]:
        reason = metadata["quality_gate"]["reason"]
        print(f"warning: saved with --force: {reason}", file=sys.stderr)
    print(f"saved {metadata['model_file']}")
    return 0


def _fail(status: int, *lines: str) -> int:
    """Print each line on stderr, as ``error: ...`` on one line; return ``status``."""
    for line in lines:
        print(f"error: {' '.join(line.split())}", file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
