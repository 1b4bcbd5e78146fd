"""Why this price: contributions from the scoring plan; the holdout price range."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import load_dataset
from regression_model.processing.validation import validate
from regression_model.serving.explain import contributions, not_seen, price_range
from regression_model.serving.plan import ScoringPlan
from regression_model.train_pipeline import split_data


@pytest.fixture(scope="module")
def plan(trained) -> ScoringPlan:
    """The session's model, loaded as its scoring plan."""
    return load_model(trained[0])


@pytest.fixture(scope="module")
def records(test_data, plan) -> list[dict]:
    """The rows of test.csv, validated, as dicts of the model's inputs."""
    columns = validate(test_data, plan.inputs).columns
    return [
        {variable: values[row] for variable, values in columns.items()}
        for row in range(len(test_data))
    ]


def test_contributions_add_up_to_the_plans_price_on_test_csv(plan, records):
    # Given the plan's prices for test.csv
    prices = np.array(make_prediction(records, model=plan)["predictions"])

    # When each row's contributions are added to the intercept and exponentiated
    terms = contributions(plan, records)
    totals = np.exp(plan.intercept_ + terms.sum(axis=1))

    # Then they give the price, within 1e-9 relative, one term per feature
    assert terms.shape == (len(records), len(plan.features))
    assert np.max(np.abs(totals - prices) / prices) < 1e-9


def test_contributions_are_the_pipelines_lasso_terms(plan, records, model, test_data):
    # Given the pipeline's scaled features for test.csv (all rows are valid)
    checked = validate(test_data, plan.inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scaled = np.asarray(
            model.regressor_[:-1].transform(pd.DataFrame(checked.columns))
        )
    assert checked.errors == []

    # When the plan explains the same rows
    terms = contributions(plan, records)

    # Then its terms are Lasso's coefficient times the pipeline's feature, exactly
    np.testing.assert_array_equal(terms, scaled * model.regressor_[-1].coef_)


def test_price_range_is_the_holdout_residual_quantiles(trained, model, kaggle_dir):
    # Given the metadata saved at training and the plan served from it
    directory, _, metadata = trained
    plan = load_model(directory)
    stored = metadata["price_range"]

    # When the holdout's log residuals are computed again
    config = load_config()
    data = load_dataset(config.app.training_data_file, kaggle_dir)
    _, X_holdout, _, y_holdout = split_data(data, config)
    residuals = np.log(y_holdout.to_numpy()) - model.regressor_.predict(X_holdout)
    low, high = stored["log_residuals"]

    # Then the plan holds the metadata's 10 % and 90 % quantiles of them
    assert plan.plan["price_range"] == stored
    assert stored["quantiles"] == [0.1, 0.9]
    np.testing.assert_array_equal([low, high], np.quantile(residuals, [0.1, 0.9]))
    inside = np.mean((residuals >= low) & (residuals <= high))
    assert low < 0 < high
    assert 0.78 <= inside <= 0.82


def test_price_range_scales_the_price_by_the_quantiles(plan):
    # Given a price
    price = 200_000.0

    # When its range is asked for
    span = price_range(plan, price)

    # Then it is price * exp(q10) to price * exp(q90), around the price
    low, high = plan.plan["price_range"]["log_residuals"]
    assert span == (price * math.exp(low), price * math.exp(high))
    assert span[0] < price < span[1]


def test_no_price_range_for_a_plan_saved_without_one(plan):
    # Given a plan saved before ranges were stored
    older = ScoringPlan({k: v for k, v in plan.plan.items() if k != "price_range"})

    # When a range is asked for
    # Then there is none, and the plan still prices
    house = {"GrLivArea": np.array([1500.0])}
    assert price_range(older, 100_000.0) is None
    assert older.score_columns(house, 1) == plan.score_columns(house, 1)


def test_not_seen_lists_missing_inputs_and_unseen_labels(plan):
    # Given a house with an unseen kitchen quality, MSSubClass as a number, no lot
    record = {"KitchenQual": "Po", "MSSubClass": 20.0, "LotArea": None}

    # When its unknown inputs are asked for
    unknown = not_seen(plan, record)

    # Then the label is unseen, the absent and None inputs are imputed
    assert unknown["unseen"] == ["KitchenQual=Po"]
    assert "LotArea" in unknown["imputed"]
    assert "Neighborhood" in unknown["imputed"]
    assert {"KitchenQual", "MSSubClass"}.isdisjoint(unknown["imputed"])
    assert len(unknown["imputed"]) == len(plan.inputs) - 2


def test_contributions_of_a_house_given_as_a_frame_row(plan):
    # Given one house as a pandas row turned into a dict, with a NaN
    frame = pd.DataFrame({"GrLivArea": [1500.0], "LotArea": [np.nan]})
    record = frame.to_dict(orient="records")[0]

    # When it is explained
    terms = contributions(plan, [record])

    # Then NaN is a missing value, as for the price
    price = plan.score_columns({"GrLivArea": np.array([1500.0])}, 1)[0]
    assert math.exp(plan.intercept_ + terms[0].sum()) == pytest.approx(price, rel=1e-12)


def test_make_prediction_explains_each_priced_row(plan):
    # Given a bad row between two good ones
    rows = [
        {"GrLivArea": 1500, "Neighborhood": "Atlantis"},
        {"OverallQual": 11},
        {"GrLivArea": 900, "MSSubClass": 20.0},
    ]

    # When they are priced with explanations
    result = make_prediction(rows, model=plan, explain=True)

    # Then each priced row's intercept and contributions give its price exactly
    # as the plan's sum does, and the bad row has none
    explained = result["explanations"]
    assert explained[1] is None
    for row in (0, 2):
        terms = [c["contribution"] for c in explained[row]["contributions"]]
        total = math.exp(explained[row]["intercept"] + sum(terms))
        assert total == pytest.approx(result["predictions"][row], rel=1e-12)
        assert [c["feature"] for c in explained[row]["contributions"]] == plan.features
    assert explained[0]["unseen"] == ["Neighborhood=Atlantis"]
    assert "MSSubClass" not in explained[2]["imputed"]
    assert result["range_quantiles"] == plan.plan["price_range"]["quantiles"]
    low, high = plan.plan["price_range"]["log_residuals"]
    assert explained[0]["price_range"] == {
        "low": result["predictions"][0] * math.exp(low),
        "high": result["predictions"][0] * math.exp(high),
    }


def test_a_column_sent_under_both_names_is_explained_as_it_was_priced(plan):
    # Given 1stFlrSF sent by its alias and by its Kaggle name, with two values
    rows = [{"GrLivArea": 2000, "FirstFlrSF": 900, "1stFlrSF": 1500}]

    # When priced with explanations
    result = make_prediction(rows, model=plan, explain=True)

    # Then the contributions add up to the price (the first name's value is used)
    explanation = result["explanations"][0]
    terms = [c["contribution"] for c in explanation["contributions"]]
    total = math.exp(explanation["intercept"] + sum(terms))
    assert total == pytest.approx(result["predictions"][0], rel=1e-12)
    alone = make_prediction([{"GrLivArea": 2000, "1stFlrSF": 900}], model=plan)
    assert result["predictions"] == alone["predictions"]


def test_explanations_need_the_plan(model):
    # Given the pipeline, When asked to explain, Then it is an error
    with pytest.raises(ValueError, match="plan"):
        make_prediction([{"GrLivArea": 1500}], model=model, explain=True)
