"""Train the model: python -m procedural.train [--outputs-dir DIR]

Loads ``data/train.csv``, makes the research split, builds the features with the
hard-coded parameters of ``config``, fits the scaler and the Lasso on the training
split, reports the holdout error and saves the scaler and the model, each in its own
file.
"""

import argparse
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import Lasso
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from procedural import config
from procedural.features import make_features


def load_training_data(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Read the training file; return the raw variables and the log of the price.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    X : pandas.DataFrame
        Every column but the Id and the price.
    y : pandas.Series
        ``log(SalePrice)``, the target the model learns.
    """
    data = pd.read_csv(path)
    return data.drop(columns=[config.ID_VARIABLE, config.TARGET]), np.log(
        data[config.TARGET]
    )


def fit_scaler(features: pd.DataFrame) -> MinMaxScaler:
    """Fit the scaler that maps each training feature onto [0, 1]."""
    return MinMaxScaler().fit(features)


def fit_model(scaled: np.ndarray, y: pd.Series) -> Lasso:
    """Fit the Lasso on the scaled features and the log of the price."""
    return Lasso(alpha=config.ALPHA, random_state=config.RANDOM_STATE).fit(scaled, y)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--outputs-dir",
        type=Path,
        default=config.OUTPUTS_DIR,
        help="where to save the scaler and the model (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not config.TRAINING_DATA_PATH.is_file():
        print(
            f"error: {config.TRAINING_DATA_PATH}: not found; run `make data`",
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    X, y = load_training_data(config.TRAINING_DATA_PATH)
    X_train, X_holdout, y_train, y_holdout = train_test_split(
        X, y, test_size=config.TEST_SIZE, random_state=config.RANDOM_STATE
    )

    features_train = make_features(X_train)
    scaler = fit_scaler(features_train)
    model = fit_model(scaler.transform(features_train), y_train)

    holdout_predictions = model.predict(scaler.transform(make_features(X_holdout)))
    rmse = root_mean_squared_error(y_holdout, holdout_predictions)

    # Two objects, two files: score.py must load both, and they must belong together.
    args.outputs_dir.mkdir(parents=True, exist_ok=True)
    scaler_path = args.outputs_dir / config.OUTPUT_SCALER_PATH.name
    model_path = args.outputs_dir / config.OUTPUT_MODEL_PATH.name
    joblib.dump(scaler, scaler_path)
    joblib.dump(model, model_path)

    print(f"trained on {len(X_train)} rows, {len(config.FEATURES)} features")
    print(f"holdout rows: {len(X_holdout)}")
    print(f"holdout RMSE (log price): {rmse!r}")
    print(f"saved {scaler_path} and {model_path}")
    print(f"done in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
