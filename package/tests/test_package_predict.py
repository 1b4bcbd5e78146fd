"""make_prediction and the command line, on the Kaggle test set and edited rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from regression_model import __version__
from regression_model.config import load_config
from regression_model.predict import load_model, main, make_prediction
from regression_model.train_pipeline import train


def test_prices_every_row_of_kaggle_test_set(model, test_data):
    # When
    result = make_prediction(test_data, model=model)

    # Then
    assert len(result["predictions"]) == 1459
    assert all(math.isfinite(p) and p > 0 for p in result["predictions"])
    assert result["errors"] == []
    assert result["version"] == __version__


def test_list_of_dicts_priced_like_dataframe(model, test_data):
    # Given
    rows = test_data.head(5)

    # When
    from_records = make_prediction(rows.to_dict("records"), model=model)
    from_frame = make_prediction(rows, model=model)

    # Then
    assert from_records["predictions"] == from_frame["predictions"]


def test_row_with_error_unpriced_and_others_priced(model, test_data):
    # Given
    rows = test_data.head(3).copy()
    expected = make_prediction(rows, model=model)["predictions"]
    rows.loc[1, "OverallQual"] = 0

    # When
    result = make_prediction(rows, model=model)

    # Then
    assert result["predictions"] == [expected[0], None, expected[2]]
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(1, "OverallQual")]


def test_unseen_category_priced_like_missing_value(model, test_data):
    # Given
    row = test_data.head(1)
    unseen = row.assign(Neighborhood="Atlantis", MSSubClass=999)
    missing = row.assign(Neighborhood=np.nan, MSSubClass=np.nan)

    # When
    unseen_price = make_prediction(unseen, model=model)["predictions"][0]
    missing_price = make_prediction(missing, model=model)["predictions"][0]

    # Then
    assert unseen_price is not None
    assert unseen_price == missing_price


def test_absent_column_priced_like_missing_values_and_named(model, test_data):
    # Given
    rows = test_data.head(3)
    without = rows.drop(columns=["GrLivArea"])
    missing = rows.assign(GrLivArea=np.nan)

    # When
    result = make_prediction(without, model=model)

    # Then
    assert result["predictions"] == make_prediction(missing, model=model)["predictions"]
    assert result["warnings"] == [
        "input has no column ['GrLivArea']: imputed as missing values"
    ]


def test_single_field_record_priced(model):
    # When
    result = make_prediction([{"GrLivArea": 1500}], model=model)

    # Then
    assert result["errors"] == []
    assert result["predictions"][0] > 0
    assert result["warnings"][0].startswith("input has no column ['MSSubClass'")


def test_command_line_writes_kaggle_format(
    model, package_trained_dir, kaggle_dir, tmp_path, test_data
):
    # Given
    output = tmp_path / "predictions.csv"

    # When
    status = main(
        [
            *("--input", str(kaggle_dir / "test.csv"), "--output", str(output)),
            *("--trained-dir", str(package_trained_dir)),
        ]
    )

    # Then
    written = pd.read_csv(output)
    assert status == 0
    assert written.columns.tolist() == ["Id", "SalePrice"]
    assert written["Id"].tolist() == test_data["Id"].tolist()
    assert (
        written["SalePrice"].tolist()
        == make_prediction(test_data, model=model)["predictions"]
    )


def test_command_line_reports_unreadable_input(tmp_path, capsys):
    # When
    status = main(["--input", str(tmp_path / "absent.csv")])

    # Then
    assert status == 2
    assert "absent.csv" in capsys.readouterr().err


def test_retraining_into_the_same_folder_serves_the_new_model(
    kaggle_dir, test_data, tmp_path
):
    # Given a model trained into folder A and a prediction made with it
    rows = test_data.head(20)
    train(trained_dir=tmp_path, data_directory=kaggle_dir)
    before = make_prediction(rows, trained_dir=tmp_path)["predictions"]

    # When the model is trained again into A, with another alpha, in this process
    config = load_config()
    other = config.model_copy(
        update={"model": config.model.model_copy(update={"alpha": 0.01})}
    )
    train(trained_dir=tmp_path, data_directory=kaggle_dir, config=other)
    after = make_prediction(rows, trained_dir=tmp_path)["predictions"]

    # Then the next prediction comes from the new model: no cache kept the old one
    assert after != before
    assert load_model(tmp_path, engine="pipeline").regressor_[-1].alpha == 0.01
