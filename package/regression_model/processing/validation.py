"""Check raw input rows against the schema of the 79 Kaggle fields.

:class:`HouseInput` describes one row: a type and, where it makes sense, a range for
every field. Every field may be missing (the model imputes it, per the scoring
contract), and a category is any string: a label the training data never had is not
an error but a missing value, priced like one. What *is* an error is a value of the
wrong type ("abc" as a living area) or out of range (an overall quality of 11):
:func:`validate_inputs` reports it with its row and column, leaves that row unpriced,
and passes every other row on.
"""

from __future__ import annotations

import typing
import warnings
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from regression_model.config import Config, load_config

# A category: any label. Labels the training data never had become missing values.
Label = str
# Square feet (or dollars): zero allowed.
Area = Annotated[float, Field(ge=0, allow_inf_nan=False)]
# Square feet or feet the model takes the log of: must be positive.
PositiveArea = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]
Rating = Annotated[int, Field(ge=1, le=10)]
Year = Annotated[int, Field(ge=1800, le=2100)]
# MSSubClass: a category written as a number; 20, 20.0 and "20" are the same label.
NumericCodedLabel = int | str


class MissingColumnsWarning(UserWarning):
    """Columns the model uses are absent from the input: imputed as missing."""


class HouseInput(BaseModel):
    """One house as Kaggle describes it: the 79 fields of ``data_description.txt``.

    Fields whose Kaggle names start with a digit (``1stFlrSF``, ``2ndFlrSF``,
    ``3SsnPorch``) have Python names (``FirstFlrSF``, ...) and keep their Kaggle
    names as aliases; either is accepted. Unknown fields are ignored.
    """

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, extra="ignore"
    )

    Id: Annotated[int, Field(ge=0)] | None = None
    MSSubClass: NumericCodedLabel | None = None
    MSZoning: Label | None = None
    LotFrontage: PositiveArea | None = None
    LotArea: PositiveArea | None = None
    Street: Label | None = None
    Alley: Label | None = None
    LotShape: Label | None = None
    LandContour: Label | None = None
    Utilities: Label | None = None
    LotConfig: Label | None = None
    LandSlope: Label | None = None
    Neighborhood: Label | None = None
    Condition1: Label | None = None
    Condition2: Label | None = None
    BldgType: Label | None = None
    HouseStyle: Label | None = None
    OverallQual: Rating | None = None
    OverallCond: Rating | None = None
    YearBuilt: Year | None = None
    YearRemodAdd: Year | None = None
    RoofStyle: Label | None = None
    RoofMatl: Label | None = None
    Exterior1st: Label | None = None
    Exterior2nd: Label | None = None
    MasVnrType: Label | None = None
    MasVnrArea: Area | None = None
    ExterQual: Label | None = None
    ExterCond: Label | None = None
    Foundation: Label | None = None
    BsmtQual: Label | None = None
    BsmtCond: Label | None = None
    BsmtExposure: Label | None = None
    BsmtFinType1: Label | None = None
    BsmtFinSF1: Area | None = None
    BsmtFinType2: Label | None = None
    BsmtFinSF2: Area | None = None
    BsmtUnfSF: Area | None = None
    TotalBsmtSF: Area | None = None
    Heating: Label | None = None
    HeatingQC: Label | None = None
    CentralAir: Label | None = None
    Electrical: Label | None = None
    FirstFlrSF: PositiveArea | None = Field(default=None, alias="1stFlrSF")
    SecondFlrSF: Area | None = Field(default=None, alias="2ndFlrSF")
    LowQualFinSF: Area | None = None
    GrLivArea: PositiveArea | None = None
    BsmtFullBath: Count | None = None
    BsmtHalfBath: Count | None = None
    FullBath: Count | None = None
    HalfBath: Count | None = None
    BedroomAbvGr: Count | None = None
    KitchenAbvGr: Count | None = None
    KitchenQual: Label | None = None
    TotRmsAbvGrd: Count | None = None
    Functional: Label | None = None
    Fireplaces: Count | None = None
    FireplaceQu: Label | None = None
    GarageType: Label | None = None
    # no upper bound: test.csv holds a GarageYrBlt of 2207 (surely 2007), and the
    # model does not use the field, so that row is still priced
    GarageYrBlt: Annotated[int, Field(ge=1800)] | None = None
    GarageFinish: Label | None = None
    GarageCars: Count | None = None
    GarageArea: Area | None = None
    GarageQual: Label | None = None
    GarageCond: Label | None = None
    PavedDrive: Label | None = None
    WoodDeckSF: Area | None = None
    OpenPorchSF: Area | None = None
    EnclosedPorch: Area | None = None
    ThreeSsnPorch: Area | None = Field(default=None, alias="3SsnPorch")
    ScreenPorch: Area | None = None
    PoolArea: Area | None = None
    PoolQC: Label | None = None
    Fence: Label | None = None
    MiscFeature: Label | None = None
    MiscVal: Area | None = None
    MoSold: Annotated[int, Field(ge=1, le=12)] | None = None
    YrSold: Year | None = None
    SaleType: Label | None = None
    SaleCondition: Label | None = None


def _kaggle_name(name: str) -> str:
    alias = HouseInput.model_fields[name].alias
    return alias if alias is not None else name


def _base_types(annotation: Any) -> set[Any]:
    """The types a field accepts, without ``None`` and ``Annotated`` constraints."""
    types = set()
    for member in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(member) is Annotated:
            member = typing.get_args(member)[0]
        types.add(member)
    return types - {type(None)}


def numerical_columns() -> list[str]:
    """The Kaggle names of the schema's numerical fields."""
    return [
        _kaggle_name(name)
        for name, field in HouseInput.model_fields.items()
        if _base_types(field.annotation) <= {int, float}
    ]


def schema_columns() -> list[str]:
    """The Kaggle names of every field of :class:`HouseInput`, in Kaggle's order."""
    return [_kaggle_name(name) for name in HouseInput.model_fields]


def absent_input_columns(
    input_data: pd.DataFrame, config: Config | None = None
) -> list[str]:
    """The columns the model uses that ``input_data`` does not have."""
    config = config or load_config()
    return [c for c in config.model.input_variables if c not in input_data.columns]


def _is_missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and value != value)
    )


def _records(input_data: pd.DataFrame) -> list[dict[str, Any]]:
    """The input's rows as dicts of their schema fields, empty cells left out."""
    schema = set(schema_columns())
    known = input_data[[column for column in input_data.columns if column in schema]]
    return [
        {column: value for column, value in row.items() if not _is_missing(value)}
        for row in known.to_dict("records")
    ]


def _row_errors(row: int, error: ValidationError) -> list[dict[str, Any]]:
    """One error per bad cell of a row, naming the row and the Kaggle column."""
    messages: dict[str, list[str]] = {}
    for detail in error.errors():
        column = str(detail["loc"][0])
        messages.setdefault(column, []).append(
            f"{detail['msg']} (got {detail['input']!r})"
        )
    return [
        {"row": row, "column": column, "message": "; ".join(dict.fromkeys(found))}
        for column, found in messages.items()
    ]


def validate_inputs(
    input_data: pd.DataFrame, config: Config | None = None
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Check every row against :class:`HouseInput`.

    Parameters
    ----------
    input_data : pandas.DataFrame
        Raw rows with Kaggle column names, in any order; extra columns are ignored.
    config : Config, optional
        The configuration; the package's ``config.yml`` by default.

    Returns
    -------
    validated : pandas.DataFrame
        The rows without errors, indexed by their 0-based position in
        ``input_data``, with every schema column (numbers as float64, an absent
        column as missing values).
    errors : list of dict
        One ``{"row", "column", "message"}`` per bad cell; ``row`` is the 0-based
        position in ``input_data``, ``column`` the Kaggle name.

    Warns
    -----
    MissingColumnsWarning
        If columns the model uses are absent: they are imputed as missing values.
    """
    absent = absent_input_columns(input_data, config)
    if absent:
        warnings.warn(
            f"input has no column {absent}: imputed as missing values",
            MissingColumnsWarning,
            stacklevel=2,
        )
    valid: dict[int, dict[str, Any]] = {}
    errors: list[dict[str, Any]] = []
    for row, record in enumerate(_records(input_data)):
        try:
            house = HouseInput.model_validate(record)
        except ValidationError as error:
            errors.extend(_row_errors(row, error))
        else:
            valid[row] = house.model_dump(by_alias=True)
    validated = pd.DataFrame.from_records(
        list(valid.values()), index=list(valid), columns=schema_columns()
    )
    not_float = [c for c in numerical_columns() if validated[c].dtype != "float64"]
    validated = validated.astype(dict.fromkeys(not_float, "float64"))
    return validated, errors
