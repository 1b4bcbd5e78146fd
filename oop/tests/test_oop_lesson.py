"""The lesson's hand-written mixin and imputer, what scikit-learn's add, and the
tables that show each of the model's steps before and after."""

from __future__ import annotations

import os
import re
from itertools import takewhile

import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from oop import lesson, settings


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


def test_demo_shows_the_missing_value_beside_the_mean_that_replaced_it(capsys):
    # Given the lesson's demo, whose training data has LotFrontage 60, missing, 80
    # When it runs
    lesson.demo()
    # Then its first table puts the learned mean, 70, after the missing value
    printed = capsys.readouterr().out
    assert re.search(r"^ +LotFrontage *\n +before after\n", printed, re.MULTILINE)
    assert re.search(r"^ +1 +NaN +70$", printed, re.MULTILINE)


def test_before_and_after_pairs_each_column_with_its_input():
    # Given a step's input and output
    before = pd.DataFrame({"ExterQual": ["TA", "Gd"], "BsmtQual": ["Gd", "Missing"]})
    after = pd.DataFrame({"ExterQual": [3, 4], "BsmtQual": [4, 0]})
    # When they are put in one table
    table = lesson.before_and_after(before, after)
    # Then each column's value before the step sits beside its value after it
    assert list(table.columns) == [
        ("ExterQual", "before"),
        ("ExterQual", "after"),
        ("BsmtQual", "before"),
        ("BsmtQual", "after"),
    ]
    assert table.loc[1].tolist() == ["Gd", 4, "Missing", 0]


@pytest.fixture(scope="module")
def fitted_steps() -> Pipeline:
    """The model's feature steps, fitted as the lesson fits them."""
    if not settings.TRAIN_CSV.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the Kaggle files; missing: {settings.TRAIN_CSV}")
        pytest.skip(f"run `make data` first; missing: {settings.TRAIN_CSV}")
    return lesson.feature_steps(pd.read_csv(settings.TRAIN_CSV))


def section(printed: str, step: str) -> str:
    """The lines the walk printed for one step: its label and its indented table."""
    lines = printed[printed.index(f"\n{step} (") + 1 :].splitlines()
    table = takewhile(lambda line: line.startswith("    "), lines[1:])
    return "\n".join([lines[0], *table])


def row(text: str, house: int) -> list[str]:
    """The cells of one house's row in a printed table."""
    line = next(line for line in text.splitlines() if line.split()[:1] == [str(house)])
    return line.split()[1:]


def test_walk_shows_what_each_step_imputed_mapped_and_encoded(fitted_steps, capsys):
    # Given the model's fitted steps and the lesson's five houses of test.csv
    houses = pd.read_csv(settings.TEST_CSV).set_index(settings.ID_VARIABLE)
    houses = houses.loc[lesson.HOUSES]
    # When the lesson walks them through the steps
    lesson.walk_the_model(fitted_steps, houses)
    printed = "\n" + capsys.readouterr().out
    # Then the mean imputer's table shows house 2121's missing BsmtFullBath
    # beside the mean learned in fit
    means = fitted_steps.named_steps["mean_imputer"].imputer_dict_
    imputed = section(printed, "mean_imputer")
    assert "BsmtFullBath" in imputed
    assert row(imputed, 2121)[:2] == ["NaN", f"{means['BsmtFullBath']:.4g}"]
    assert f"{means['GarageCars']:.4g}" in row(imputed, 2577)
    # and the quality mapper's table shows house 2577's heating, Ex, mapped to 5
    mapped = section(printed, "quality")
    assert "HeatingQC" in mapped.splitlines()[1].split()
    cells = row(mapped, 2577)
    assert cells[cells.index("Ex") + 1] == str(settings.QUALITY_MAPPINGS["Ex"])
    # and the ordinal encoder's table shows house 1461's zoning, RH, as its code
    codes = fitted_steps.named_steps["ordinal_encoder"].encoder_dict_["MSZoning"]
    encoded = section(printed, "ordinal_encoder")
    cells = row(encoded, 1461)
    assert cells[cells.index("RH") + 1] == str(codes["RH"])
    # and a step that changes nothing in these houses says so in one line
    assert (
        "\nunseen_labels (UnseenLabelsToMissing): no value of these houses" in printed
    )
