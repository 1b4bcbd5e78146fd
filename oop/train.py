"""Train the model: python -m oop.train [--outputs-dir DIR]

Loads ``data/train.csv``, makes the research split, fits the whole pipeline (every
transformer learns its parameters, then the scaler and the Lasso) on the training
split, reports the holdout error and saves the fitted model as one file.
"""

import argparse
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import train_test_split

from oop import settings
from oop.pipeline import build_pipeline


def load_training_data(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Read the training file; return the raw variables and the price.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    X : pandas.DataFrame
        Every column but the Id and the price.
    y : pandas.Series
        ``SalePrice`` in dollars: the model takes its log itself.
    """
    data = pd.read_csv(path)
    return data.drop(columns=[settings.ID_VARIABLE, settings.TARGET]), data[
        settings.TARGET
    ]


def holdout_rmse(
    model: TransformedTargetRegressor, X: pd.DataFrame, y: pd.Series
) -> float:
    """Return the root mean squared error of the log price on held-out rows."""
    return float(root_mean_squared_error(np.log(y), np.log(model.predict(X))))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--outputs-dir",
        type=Path,
        default=settings.OUTPUT_DIR,
        help="where to save the model (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not settings.TRAIN_CSV.is_file():
        print(
            f"error: {settings.TRAIN_CSV}: not found; run `make data`", file=sys.stderr
        )
        return 2
    start = time.perf_counter()
    X, y = load_training_data(settings.TRAIN_CSV)
    X_train, X_holdout, y_train, y_holdout = train_test_split(
        X, y, test_size=settings.TEST_SIZE, random_state=settings.RANDOM_STATE
    )

    model = build_pipeline().fit(X_train, y_train)
    rmse = holdout_rmse(model, X_holdout, y_holdout)

    # One object, one file: the feature steps, the scaler, the Lasso and the log.
    args.outputs_dir.mkdir(parents=True, exist_ok=True)
    model_path = args.outputs_dir / settings.MODEL_FILE.name
    joblib.dump(model, model_path)

    print(f"trained on {len(X_train)} rows, {len(settings.FEATURES)} features")
    print(f"holdout rows: {len(X_holdout)}")
    print(f"holdout RMSE (log price): {rmse!r}")
    print(f"saved {model_path}")
    print(f"done in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
