"""The input schema: the 79 Kaggle fields of one house (and its ``Id``), in one place.

A linear model on log prices extrapolates without limit, so a value far outside the
training data gets an absurd price (a 1,000-car garage: $4e24). :data:`DOMAINS` states
the values every numerical column may take, in one table; :class:`HouseInput` (the
pydantic model, for one row) and the vectorised checks of
:mod:`regression_model.processing.validation` (for a whole DataFrame) are both built
from it, so they cannot disagree. The bounds come from ``data_description.txt``
(ratings 1-10, months 1-12) and from ``train.csv``, whose extremes were measured once
(the numbers below) and widened by a margin wide enough for every row of
``test.csv`` and any real house of Ames:

- areas (square feet; ``MiscVal`` in dollars): 0 up to :data:`AREA_MARGIN` times the
  largest in train.csv. The model takes the log of ``LotArea``, ``1stFlrSF`` and
  ``GrLivArea``, so those (and ``LotFrontage``) must be at least the smallest in
  train.csv divided by the margin: an area of 1e-300 is not a house;
- counts (baths, rooms, fireplaces, garage cars): 0 up to :data:`COUNT_MARGIN` times
  the largest in train.csv;
- years: 1800 to 2100 (train.csv: 1872 to 2010); ``GarageYrBlt`` up to 2300, because
  test.csv holds a 2207 (surely 2007) and the model does not use the field.

Every field may be missing (the model imputes it), and a category is any string: a
label the training data never had is priced as a missing value, not refused.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

AREA_MARGIN = 10
COUNT_MARGIN = 3


@dataclass(frozen=True)
class Domain:
    """The values a numerical column may take: its kind and its bounds (inclusive)."""

    kind: Literal["int", "float"]
    ge: float | None = None
    le: float | None = None

    def text(self) -> str:
        """The bounds as the end of a sentence: ``">= 1 and <= 10"``."""
        parts = [
            f"{sign} {int(bound) if float(bound).is_integer() else bound}"
            for sign, bound in ((">=", self.ge), ("<=", self.le))
            if bound is not None
        ]
        return " and ".join(parts)


def _area(largest: float, smallest: float | None = None) -> Domain:
    low = 0 if smallest is None else smallest / AREA_MARGIN
    return Domain("float", ge=low, le=AREA_MARGIN * largest)


def _count(largest: int) -> Domain:
    return Domain("int", ge=0, le=COUNT_MARGIN * largest)


_RATING = Domain("int", ge=1, le=10)
_YEAR = Domain("int", ge=1800, le=2100)

# Every numerical column, by its Kaggle name: the largest (and, for the areas the
# model takes the log of, the smallest) value of train.csv, or a fixed range.
DOMAINS: dict[str, Domain] = {
    "Id": Domain("int", ge=0),
    "LotFrontage": _area(largest=313, smallest=21),
    "LotArea": _area(largest=215_245, smallest=1_300),
    "OverallQual": _RATING,
    "OverallCond": _RATING,
    "YearBuilt": _YEAR,
    "YearRemodAdd": _YEAR,
    "MasVnrArea": _area(largest=1_600),
    "BsmtFinSF1": _area(largest=5_644),
    "BsmtFinSF2": _area(largest=1_474),
    "BsmtUnfSF": _area(largest=2_336),
    "TotalBsmtSF": _area(largest=6_110),
    "1stFlrSF": _area(largest=4_692, smallest=334),
    "2ndFlrSF": _area(largest=2_065),
    "LowQualFinSF": _area(largest=572),
    "GrLivArea": _area(largest=5_642, smallest=334),
    "BsmtFullBath": _count(largest=3),
    "BsmtHalfBath": _count(largest=2),
    "FullBath": _count(largest=3),
    "HalfBath": _count(largest=2),
    "BedroomAbvGr": _count(largest=8),
    "KitchenAbvGr": _count(largest=3),
    "TotRmsAbvGrd": _count(largest=14),
    "Fireplaces": _count(largest=3),
    "GarageYrBlt": Domain("int", ge=1800, le=2300),
    "GarageCars": _count(largest=4),
    "GarageArea": _area(largest=1_418),
    "WoodDeckSF": _area(largest=857),
    "OpenPorchSF": _area(largest=547),
    "EnclosedPorch": _area(largest=552),
    "3SsnPorch": _area(largest=508),
    "ScreenPorch": _area(largest=480),
    "PoolArea": _area(largest=738),
    "MiscVal": _area(largest=15_500),
    "MoSold": Domain("int", ge=1, le=12),
    "YrSold": _YEAR,
}

# Kaggle names that start with a digit, and the Python names of their fields.
ALIASES: dict[str, str] = {
    "1stFlrSF": "FirstFlrSF",
    "2ndFlrSF": "SecondFlrSF",
    "3SsnPorch": "ThreeSsnPorch",
}
# A category written as a number (MSSubClass): 20, 20.0 and "20" are one label.
NUMERIC_CODED = frozenset({"MSSubClass"})


def _number(column: str) -> Any:
    """The pydantic field of a numerical column, from its row of :data:`DOMAINS`."""
    domain = DOMAINS[column]
    return Field(
        default=None,
        alias=column if column in ALIASES else None,
        ge=domain.ge,
        le=domain.le,
        allow_inf_nan=False if domain.kind == "float" else None,
    )


class HouseInput(BaseModel):
    """One house as Kaggle describes it: the 79 fields of ``data_description.txt``.

    Fields whose Kaggle names start with a digit (``1stFlrSF``, ``2ndFlrSF``,
    ``3SsnPorch``) have Python names (``FirstFlrSF``, ...) and keep their Kaggle
    names as aliases; either is accepted. Unknown fields are ignored. The numbers'
    bounds come from :data:`DOMAINS`; a label is any string.
    """

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, extra="ignore"
    )

    Id: int | None = _number("Id")
    MSSubClass: int | str | None = None
    MSZoning: str | None = None
    LotFrontage: float | None = _number("LotFrontage")
    LotArea: float | None = _number("LotArea")
    Street: str | None = None
    Alley: str | None = None
    LotShape: str | None = None
    LandContour: str | None = None
    Utilities: str | None = None
    LotConfig: str | None = None
    LandSlope: str | None = None
    Neighborhood: str | None = None
    Condition1: str | None = None
    Condition2: str | None = None
    BldgType: str | None = None
    HouseStyle: str | None = None
    OverallQual: int | None = _number("OverallQual")
    OverallCond: int | None = _number("OverallCond")
    YearBuilt: int | None = _number("YearBuilt")
    YearRemodAdd: int | None = _number("YearRemodAdd")
    RoofStyle: str | None = None
    RoofMatl: str | None = None
    Exterior1st: str | None = None
    Exterior2nd: str | None = None
    MasVnrType: str | None = None
    MasVnrArea: float | None = _number("MasVnrArea")
    ExterQual: str | None = None
    ExterCond: str | None = None
    Foundation: str | None = None
    BsmtQual: str | None = None
    BsmtCond: str | None = None
    BsmtExposure: str | None = None
    BsmtFinType1: str | None = None
    BsmtFinSF1: float | None = _number("BsmtFinSF1")
    BsmtFinType2: str | None = None
    BsmtFinSF2: float | None = _number("BsmtFinSF2")
    BsmtUnfSF: float | None = _number("BsmtUnfSF")
    TotalBsmtSF: float | None = _number("TotalBsmtSF")
    Heating: str | None = None
    HeatingQC: str | None = None
    CentralAir: str | None = None
    Electrical: str | None = None
    FirstFlrSF: float | None = _number("1stFlrSF")
    SecondFlrSF: float | None = _number("2ndFlrSF")
    LowQualFinSF: float | None = _number("LowQualFinSF")
    GrLivArea: float | None = _number("GrLivArea")
    BsmtFullBath: int | None = _number("BsmtFullBath")
    BsmtHalfBath: int | None = _number("BsmtHalfBath")
    FullBath: int | None = _number("FullBath")
    HalfBath: int | None = _number("HalfBath")
    BedroomAbvGr: int | None = _number("BedroomAbvGr")
    KitchenAbvGr: int | None = _number("KitchenAbvGr")
    KitchenQual: str | None = None
    TotRmsAbvGrd: int | None = _number("TotRmsAbvGrd")
    Functional: str | None = None
    Fireplaces: int | None = _number("Fireplaces")
    FireplaceQu: str | None = None
    GarageType: str | None = None
    GarageYrBlt: int | None = _number("GarageYrBlt")
    GarageFinish: str | None = None
    GarageCars: int | None = _number("GarageCars")
    GarageArea: float | None = _number("GarageArea")
    GarageQual: str | None = None
    GarageCond: str | None = None
    PavedDrive: str | None = None
    WoodDeckSF: float | None = _number("WoodDeckSF")
    OpenPorchSF: float | None = _number("OpenPorchSF")
    EnclosedPorch: float | None = _number("EnclosedPorch")
    ThreeSsnPorch: float | None = _number("3SsnPorch")
    ScreenPorch: float | None = _number("ScreenPorch")
    PoolArea: float | None = _number("PoolArea")
    PoolQC: str | None = None
    Fence: str | None = None
    MiscFeature: str | None = None
    MiscVal: float | None = _number("MiscVal")
    MoSold: int | None = _number("MoSold")
    YrSold: int | None = _number("YrSold")
    SaleType: str | None = None
    SaleCondition: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def boolean_is_not_a_value(cls, value: Any) -> Any:
        """Refuse ``True``/``False``: Python counts them as 1 and 0; a house not."""
        if isinstance(value, bool | np.bool_):
            raise ValueError("a boolean is not a value of this field")
        return value


def schema_columns() -> list[str]:
    """The Kaggle names of every field of :class:`HouseInput`, in Kaggle's order."""
    return [field.alias or name for name, field in HouseInput.model_fields.items()]


def numerical_columns() -> list[str]:
    """The Kaggle names of the numerical fields (those of :data:`DOMAINS`)."""
    return [column for column in schema_columns() if column in DOMAINS]


@functools.cache
def field_names() -> dict[str, str]:
    """Kaggle column name -> the name of its :class:`HouseInput` field (cached)."""
    return {column: ALIASES.get(column, column) for column in schema_columns()}


@functools.cache
def accepted_names() -> dict[str, str]:
    """Every name a column is accepted under (Kaggle's, Python's) -> its Kaggle name.

    Cached, like :func:`field_names`: read it, never change it.
    """
    names = {column: column for column in schema_columns()}
    names.update({python: kaggle for kaggle, python in ALIASES.items()})
    return names


def is_missing(value: Any) -> bool:
    """Whether a cell holds no value: ``None``, NaN, or pandas' ``NA``."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    # pandas' NA, recognised by its type, so that the schema needs no pandas
    return type(value).__name__ == "NAType"


def category_label(value: Any) -> str:
    """Write a numeric-coded category as its label: 20, 20.0 and "20" all give "20".

    Parameters
    ----------
    value : object
        A present (not missing) cell.

    Returns
    -------
    str
        The integer's digits when ``value`` is a whole number, else ``str(value)``.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)
