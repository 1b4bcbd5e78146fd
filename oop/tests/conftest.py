"""Small hand-made frames for the OOP stage's unit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def houses() -> pd.DataFrame:
    """Four raw records with missing values, as test.csv could send them."""
    return pd.DataFrame(
        {
            "MSSubClass": [20, 60, np.nan, 20],
            "Neighborhood": ["NAmes", np.nan, "CollgCr", "NAmes"],
            "KitchenQual": ["Gd", "TA", "TA", "Ex"],
            "LotArea": [8000.0, np.nan, 9000.0, 13000.0],
            "YearRemodAdd": [2003, 1976, 2001, 1990],
            "YrSold": [2008, 2007, 2008, 2010],
            "ScreenPorch": [0, 120, 0, 0],
        }
    )


@pytest.fixture
def log_prices() -> np.ndarray:
    """The log sale price of each of the four records of ``houses``."""
    return np.log([208500.0, 181500.0, 223500.0, 140000.0])
