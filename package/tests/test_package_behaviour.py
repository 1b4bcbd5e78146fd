"""Behavioural tests: the model's prices move the way a buyer expects."""

from __future__ import annotations

import numpy as np
import pytest

from regression_model.predict import make_prediction


@pytest.mark.parametrize(
    "column, raise_value",
    [
        ("OverallQual", lambda quality: np.minimum(quality + 1, 10)),
        ("GrLivArea", lambda area: area * 1.2),
    ],
)
def test_better_or_bigger_house_not_cheaper(model, test_data, column, raise_value):
    # Given
    better = test_data.assign(**{column: raise_value(test_data[column])})

    # When
    before = np.array(make_prediction(test_data, model=model)["predictions"])
    after = np.array(make_prediction(better, model=model)["predictions"])

    # Then
    assert (after >= before).all()
    assert (after > before).any()
