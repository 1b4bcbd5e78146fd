"""The lesson's hand-written mixin and imputer, and what scikit-learn's add."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone

from oop import lesson


def test_hand_written_imputer_learns_means_in_fit(houses):
    # Given the hand-written imputer
    imputer = lesson.MeanImputer(variables=["LotArea"])
    # When it is fitted
    imputer.fit(houses)
    # Then it keeps the mean of the values present
    assert imputer.imputer_dict_ == {"LotArea": 10000.0}


def test_hand_written_fit_transform_is_fit_then_transform(houses):
    # Given two hand-written imputers
    one, other = lesson.MeanImputer(["LotArea"]), lesson.MeanImputer(["LotArea"])
    # When one runs fit_transform and the other fit, then transform
    result = one.fit_transform(houses)
    # Then the results are equal and the caller's frame is untouched
    pd.testing.assert_frame_equal(result, other.fit(houses).transform(houses))
    assert result["LotArea"].tolist() == [8000.0, 10000.0, 9000.0, 13000.0]
    assert houses["LotArea"].isna().sum() == 1


def test_hand_written_imputer_cannot_be_cloned():
    # Given the hand-written imputer, which has no get_params
    imputer = lesson.MeanImputer(variables=["LotArea"])
    # When scikit-learn clones it
    # Then it refuses: that is what BaseEstimator adds
    with pytest.raises(TypeError, match="get_params"):
        clone(imputer)


def test_demo_shows_both_imputers(capsys):
    # Given the lesson's demo
    # When it runs
    lesson.demo()
    # Then it prints the learned mean, the failed clone and the sklearn version's params
    printed = capsys.readouterr().out
    assert "learned: {'LotFrontage': 70.0}" in printed
    assert "clone fails without BaseEstimator" in printed
    assert "get_params: {'variables': ['LotFrontage']}" in printed
