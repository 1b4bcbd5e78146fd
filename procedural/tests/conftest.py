"""Small hand-made frames for the procedural stage's unit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def houses() -> pd.DataFrame:
    """Four raw records: complete, with missing values, with unseen labels."""
    return pd.DataFrame(
        {
            "MSSubClass": [20, 60, np.nan, 150],
            "Neighborhood": ["NAmes", np.nan, "Atlantis", "CollgCr"],
            "KitchenQual": ["Gd", np.nan, "Po", "TA"],
            "LotArea": [8450.0, np.nan, 9600.0, 11250.0],
            "YearRemodAdd": [2003.0, 1976.0, np.nan, 2002.0],
            "YrSold": [2008.0, 2007.0, 2008.0, np.nan],
            "ScreenPorch": [0.0, 120.0, np.nan, 0.0],
        }
    )
