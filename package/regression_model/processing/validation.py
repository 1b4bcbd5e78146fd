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

import difflib
import functools
import math
import re
import typing
import warnings
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from regression_model.config import Config, load_config

# A category: any label. Labels the training data never had become missing values.
Label = str
# Square feet (or dollars): zero allowed.
Area = Annotated[float, Field(ge=0, allow_inf_nan=False)]
# Square feet or feet that must be positive (the model takes the log of three): the
# lower bound is the field's own, from SMALLEST_IN_TRAINING.
Measure = Annotated[float, Field(allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]
Rating = Annotated[int, Field(ge=1, le=10)]
Year = Annotated[int, Field(ge=1800, le=2100)]
# MSSubClass: a category written as a number; 20, 20.0 and "20" are the same label.
NumericCodedLabel = int | str

# ---------------------------------------------------------------------------------
# The domain: the values a numerical field may take, all stated here.
#
# A linear model on log prices extrapolates without limit, so a value far outside the
# training data gets an absurd price (a 1,000-car garage: $4e24). The bounds below
# come from data_description.txt (ratings 1-10, months 1-12) and from train.csv, whose
# extremes were measured once (the numbers below) and widened by a margin wide enough
# for every row of test.csv and any real house of Ames:
#   - areas (square feet; MiscVal in dollars): 0 up to AREA_MARGIN times the largest
#     in train.csv;
#   - the areas that must be positive (the model takes the log of LotArea, 1stFlrSF,
#     GrLivArea): at least the smallest in train.csv divided by AREA_MARGIN (an area
#     of 1e-300 is not a house: its log alone gives a price of $5e-84);
#   - counts (baths, rooms, fireplaces, garage cars): 0 up to COUNT_MARGIN times the
#     largest in train.csv;
#   - years: 1800 to 2100 (train.csv: 1872 to 2010); GarageYrBlt up to 2300, because
#     test.csv holds a 2207 (surely 2007) and the model does not use the field.
# A value beyond a bound is an error naming row, column, value and bounds, and costs
# only its row. The price itself has a range too (config.yml, min_price/max_price):
# the last line of defence if a combination of in-domain values still goes astray.
# ---------------------------------------------------------------------------------
AREA_MARGIN = 10
COUNT_MARGIN = 3
LARGEST_IN_TRAINING: dict[str, float] = {
    "LotFrontage": 313,
    "LotArea": 215_245,
    "MasVnrArea": 1_600,
    "BsmtFinSF1": 5_644,
    "BsmtFinSF2": 1_474,
    "BsmtUnfSF": 2_336,
    "TotalBsmtSF": 6_110,
    "1stFlrSF": 4_692,
    "2ndFlrSF": 2_065,
    "LowQualFinSF": 572,
    "GrLivArea": 5_642,
    "GarageArea": 1_418,
    "WoodDeckSF": 857,
    "OpenPorchSF": 547,
    "EnclosedPorch": 552,
    "3SsnPorch": 508,
    "ScreenPorch": 480,
    "PoolArea": 738,
    "MiscVal": 15_500,
    "BsmtFullBath": 3,
    "BsmtHalfBath": 2,
    "FullBath": 3,
    "HalfBath": 2,
    "BedroomAbvGr": 8,
    "KitchenAbvGr": 3,
    "TotRmsAbvGrd": 14,
    "Fireplaces": 3,
    "GarageCars": 4,
}
SMALLEST_IN_TRAINING: dict[str, float] = {
    "LotFrontage": 21,
    "LotArea": 1_300,
    "1stFlrSF": 334,
    "GrLivArea": 334,
}


def _area(column: str, alias: str | None = None) -> Any:
    """The field of an area: at most AREA_MARGIN times the largest in train.csv."""
    smallest = SMALLEST_IN_TRAINING.get(column)
    return Field(
        default=None,
        alias=alias,
        ge=None if smallest is None else smallest / AREA_MARGIN,
        le=AREA_MARGIN * LARGEST_IN_TRAINING[column],
    )


def _count(column: str) -> Any:
    """The field of a count: at most COUNT_MARGIN times the largest in train.csv."""
    return Field(default=None, le=COUNT_MARGIN * LARGEST_IN_TRAINING[column])


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
    LotFrontage: Measure | None = _area("LotFrontage")
    LotArea: Measure | None = _area("LotArea")
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
    MasVnrArea: Area | None = _area("MasVnrArea")
    ExterQual: Label | None = None
    ExterCond: Label | None = None
    Foundation: Label | None = None
    BsmtQual: Label | None = None
    BsmtCond: Label | None = None
    BsmtExposure: Label | None = None
    BsmtFinType1: Label | None = None
    BsmtFinSF1: Area | None = _area("BsmtFinSF1")
    BsmtFinType2: Label | None = None
    BsmtFinSF2: Area | None = _area("BsmtFinSF2")
    BsmtUnfSF: Area | None = _area("BsmtUnfSF")
    TotalBsmtSF: Area | None = _area("TotalBsmtSF")
    Heating: Label | None = None
    HeatingQC: Label | None = None
    CentralAir: Label | None = None
    Electrical: Label | None = None
    FirstFlrSF: Measure | None = _area("1stFlrSF", alias="1stFlrSF")
    SecondFlrSF: Area | None = _area("2ndFlrSF", alias="2ndFlrSF")
    LowQualFinSF: Area | None = _area("LowQualFinSF")
    GrLivArea: Measure | None = _area("GrLivArea")
    BsmtFullBath: Count | None = _count("BsmtFullBath")
    BsmtHalfBath: Count | None = _count("BsmtHalfBath")
    FullBath: Count | None = _count("FullBath")
    HalfBath: Count | None = _count("HalfBath")
    BedroomAbvGr: Count | None = _count("BedroomAbvGr")
    KitchenAbvGr: Count | None = _count("KitchenAbvGr")
    KitchenQual: Label | None = None
    TotRmsAbvGrd: Count | None = _count("TotRmsAbvGrd")
    Functional: Label | None = None
    Fireplaces: Count | None = _count("Fireplaces")
    FireplaceQu: Label | None = None
    GarageType: Label | None = None
    # up to 2300: test.csv holds a GarageYrBlt of 2207 (surely 2007), and the model
    # does not use the field, so that row is still priced
    GarageYrBlt: Annotated[int, Field(ge=1800, le=2300)] | None = None
    GarageFinish: Label | None = None
    GarageCars: Count | None = _count("GarageCars")
    GarageArea: Area | None = _area("GarageArea")
    GarageQual: Label | None = None
    GarageCond: Label | None = None
    PavedDrive: Label | None = None
    WoodDeckSF: Area | None = _area("WoodDeckSF")
    OpenPorchSF: Area | None = _area("OpenPorchSF")
    EnclosedPorch: Area | None = _area("EnclosedPorch")
    ThreeSsnPorch: Area | None = _area("3SsnPorch", alias="3SsnPorch")
    ScreenPorch: Area | None = _area("ScreenPorch")
    PoolArea: Area | None = _area("PoolArea")
    PoolQC: Label | None = None
    Fence: Label | None = None
    MiscFeature: Label | None = None
    MiscVal: Area | None = _area("MiscVal")
    MoSold: Annotated[int, Field(ge=1, le=12)] | None = None
    YrSold: Year | None = None
    SaleType: Label | None = None
    SaleCondition: Label | None = None

    @field_validator("*", mode="before")
    @classmethod
    def boolean_is_not_a_value(cls, value: Any) -> Any:
        """Refuse ``True``/``False``: Python counts them as 1 and 0; a house not."""
        if isinstance(value, bool | np.bool_):
            raise ValueError("a boolean is not a value of this field")
        return value


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


_BOUND_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def domain_text(column: str) -> str:
    """The bounds of a numerical column, as a sentence's end: ``">= 0 and <= 10"``."""
    check = _column_checks()[_field_kaggle_names()[column]]
    parts = [
        f"{sign} {int(bound) if float(bound).is_integer() else bound}"
        for sign, bound in ((">=", check.ge), (">", check.gt), ("<=", check.le))
        if bound is not None
    ]
    return " and ".join(parts)


def _message(column: str, detail: Any) -> str:
    if detail["type"] in _BOUND_ERRORS:
        bounds = domain_text(column)
        return f"out of the domain: must be {bounds} (got {detail['input']!r})"
    return f"{detail['msg']} (got {detail['input']!r})"


def _row_errors(row: int, error: ValidationError) -> list[dict[str, Any]]:
    """One error per bad cell of a row, naming the row, the Kaggle column, the value
    and, for a value out of the domain, the bounds."""
    messages: dict[str, list[str]] = {}
    for detail in error.errors():
        column = str(detail["loc"][0])
        messages.setdefault(column, []).append(_message(column, detail))
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


# ---------------------------------------------------------------------------------
# Fast validation for the scoring plan: the same verdicts and messages, less work.
#
# validate_inputs() builds a DataFrame, turns it into records, validates every record
# with pydantic and builds a DataFrame again. The scoring plan needs none of those
# frames. For records, pydantic validates each dict directly; for a DataFrame,
# vectorised checks find the cells that could be wrong, and only the rows holding
# one go through pydantic, which words the errors exactly as validate_inputs() does.
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ColumnCheck:
    """What one schema field accepts: its kind and numeric bounds."""

    kind: str  # "label", "float", "int" or "int_or_label"
    ge: float | None = None
    gt: float | None = None
    le: float | None = None


@functools.cache
def _column_checks() -> dict[str, _ColumnCheck]:
    """Each Kaggle column's check, read from :class:`HouseInput`'s annotations."""
    checks = {}
    for name, field in HouseInput.model_fields.items():
        bounds: dict[str, float] = {}
        constraints = list(field.metadata)  # the field's own: Field(le=...)
        for member in typing.get_args(field.annotation):
            if typing.get_origin(member) is Annotated:
                for info in typing.get_args(member)[1:]:
                    constraints[:0] = getattr(info, "metadata", [])
        for constraint in constraints:  # the field's own last: they win
            for key in ("ge", "gt", "le"):
                if hasattr(constraint, key):
                    bounds[key] = getattr(constraint, key)
        types = _base_types(field.annotation)
        kind = {
            frozenset({str}): "label",
            frozenset({float}): "float",
            frozenset({int}): "int",
            frozenset({int, str}): "int_or_label",
        }[frozenset(types)]
        checks[_kaggle_name(name)] = _ColumnCheck(kind, **bounds)
    return checks


@functools.cache
def _field_names() -> dict[str, str]:
    """Kaggle column name -> :class:`HouseInput` attribute name."""
    return {_kaggle_name(name): name for name in HouseInput.model_fields}


@functools.cache
def _field_kaggle_names() -> dict[str, str]:
    """Every name a column is accepted under (Kaggle's, Python's) -> the Kaggle name."""
    names = {name: _kaggle_name(name) for name in HouseInput.model_fields}
    names.update({kaggle: kaggle for kaggle in names.values()})
    return names


def accepted_columns() -> list[str]:
    """Every column name the package accepts: the Kaggle names and their aliases
    (``FirstFlrSF`` for ``1stFlrSF``, ...)."""
    return list(_field_kaggle_names())


# ---------------------------------------------------------------------------------
# Column names: the same for a DataFrame and for dicts, said out loud when unusual.
# ---------------------------------------------------------------------------------

# pandas renames a CSV header's repeated name X to X.1, X.2, ...
_REPEATED_HEADER = re.compile(r"^(?P<name>.+)\.(?P<n>[1-9][0-9]*)$")


def _did_you_mean(key: str) -> str:
    """`` (did you mean 'GrLivArea'?)`` for a near miss (case ignored), else ``""``."""
    by_lower = {name.lower(): name for name in _field_kaggle_names()}
    if key.lower() in by_lower:
        return f" (did you mean {_field_kaggle_names()[by_lower[key.lower()]]!r}?)"
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.8)
    if close:
        return f" (did you mean {_field_kaggle_names()[by_lower[close[0]]]!r}?)"
    return ""


# At most this many notes about column names per call (then a count of the rest): a
# body of thousands of junk keys must not get thousands of warnings back.
MAX_COLUMN_NOTES = 20


def column_notes(keys: list[Any]) -> tuple[dict[Any, str], list[str]]:
    """How the input's column names are read: which name each one stands for.

    Parameters
    ----------
    keys : list
        The input's column names in order, a repeated one as often as it appears.

    Returns
    -------
    used : dict
        Each key that is used -> its Kaggle name (an alias maps to the Kaggle name).
        A column given twice (the same name twice, or a name and its alias) is used
        once: its first occurrence.
    notes : list of str
        One warning per key that is ignored (not a column of the schema, with a "did
        you mean" for a near miss) or repeated; at most :data:`MAX_COLUMN_NOTES`,
        then one that counts the rest.
    """
    names = _field_kaggle_names()
    used: dict[Any, str] = {}
    first: dict[str, Any] = {}
    notes: list[str] = []
    for key in keys:
        kaggle = names.get(key) if isinstance(key, str) else None
        if kaggle is None:
            repeated = _REPEATED_HEADER.match(key) if isinstance(key, str) else None
            if repeated and repeated["name"] in names:
                notes.append(
                    f"ignored column {key!r}: a repeated {repeated['name']!r} column "
                    "(a CSV header naming it twice); the first one is used"
                )
            else:
                notes.append(
                    f"ignored column {key!r}: not a column of the schema"
                    + (_did_you_mean(key) if isinstance(key, str) else "")
                )
        elif kaggle in first:
            seen = first[kaggle]
            notes.append(
                f"column {key!r} is given more than once: the first one is used"
                if seen == key
                else f"column {key!r} names the same column as {seen!r}: "
                "the first one given is used"
            )
        else:
            first[kaggle] = key
            used[key] = kaggle
    notes = list(dict.fromkeys(notes))
    if len(notes) > MAX_COLUMN_NOTES:
        rest = len(notes) - MAX_COLUMN_NOTES
        notes = notes[:MAX_COLUMN_NOTES] + [
            f"{rest} more notes about ignored or repeated columns not shown"
        ]
    return used, notes


def canonical_frame(input_data: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The input with Kaggle column names, each once, and the notes about its names.

    Columns of the schema only; an alias is renamed to its Kaggle name; of a column
    given twice, the first is kept. See :func:`column_notes`.
    """
    keys = list(input_data.columns)
    used, notes = column_notes(keys)
    if not notes and all(used[key] == key for key in keys):
        return input_data, notes
    positions, seen = [], set()
    for position, key in enumerate(keys):
        if isinstance(key, str) and key in used and key not in seen:
            seen.add(key)
            positions.append(position)
    frame = input_data.iloc[:, positions]
    return frame.set_axis([used[keys[p]] for p in positions], axis=1), notes


def canonical_records(
    input_data: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows as dicts keyed by Kaggle names, and the notes about their names.

    The same reading as :func:`canonical_frame`: a row giving a column twice (by its
    name and its alias) keeps the first.
    """
    keys = list(dict.fromkeys(key for row in input_data for key in row))
    used, notes = column_notes(keys)
    if all(used.get(key) == key for key in keys):
        return input_data, notes
    names = _field_kaggle_names()
    records = []
    for row in input_data:
        record: dict[str, Any] = {}
        for key, value in row.items():
            kaggle = names.get(key)
            if kaggle is not None and kaggle not in record:
                record[kaggle] = value
        records.append(record)
    return records, notes


_EXACT_INTEGERS = 2.0**53


def _not_all_strings(column: pd.Series, present: np.ndarray) -> np.ndarray:
    """Present cells that are not strings (a label must be one)."""
    if isinstance(column.dtype, pd.StringDtype):
        return np.zeros(len(column), dtype=bool)
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in {
        "string",
        "empty",
    }:
        return np.zeros(len(column), dtype=bool)
    values = column.to_numpy(dtype=object)
    return present & np.array([not isinstance(v, str) for v in values], dtype=bool)


def _suspicious_cells(column: pd.Series, check: _ColumnCheck) -> np.ndarray:
    """Cells that may fail :class:`HouseInput`'s check (``True``: ask pydantic).

    Never misses a bad cell; may flag a good one (pydantic then accepts it).
    """
    present = ~column.isna().to_numpy()
    dtype = column.dtype
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
        dtype
    )
    if check.kind == "label" or (check.kind == "int_or_label" and not numeric):
        return _not_all_strings(column, present)
    if not numeric:
        return present
    x = column.to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(x)
        if check.kind != "float":
            bad |= (x != np.floor(x)) | (np.abs(x) > _EXACT_INTEGERS)
        if check.ge is not None:
            bad |= x < check.ge
        if check.gt is not None:
            bad |= x <= check.gt
        if check.le is not None:
            bad |= x > check.le
    return present & bad


@dataclass
class ScoringRows:
    """Validated rows, ready for :class:`regression_model.serving.plan.ScoringPlan`.

    Attributes
    ----------
    rows : list of int
        The 0-based positions of the valid rows in the input.
    columns : dict of str to ndarray, optional
        For the model's input variables, the valid rows' values: float64 for
        numbers (NaN when missing), objects for labels. Set unless ``records`` is.
    records : list of dict, optional
        The valid rows as dicts of the model's input variables (from records).
    errors : list of dict
        As :func:`validate_inputs` reports them.
    """

    rows: list[int]
    errors: list[dict[str, Any]]
    columns: dict[str, np.ndarray] | None = None
    records: list[dict[str, Any]] | None = None


def _warn_absent(absent: list[str]) -> None:
    if absent:
        warnings.warn(
            f"input has no column {absent}: imputed as missing values",
            MissingColumnsWarning,
            stacklevel=3,
        )


def validate_records(
    input_data: list[dict[str, Any]], variables: list[str], config: Config | None = None
) -> ScoringRows | None:
    """Validate rows given as dicts directly with pydantic, without a DataFrame.

    Returns ``None`` when some row is not a dict or has an error: the caller then
    runs :func:`validate_inputs`, whose messages show the values as the DataFrame
    holds them (an integer in a column with gaps reads ``11.0``).

    Parameters
    ----------
    input_data : list of dict
        Rows keyed by Kaggle column names.
    variables : list of str
        The input variables of the model, whose values are returned.
    config : Config, optional
        The configuration; the package's ``config.yml`` by default.
    """
    if not input_data or not all(type(row) is dict for row in input_data):
        return None
    schema = _field_names()
    wanted = [(variable, schema[variable]) for variable in variables]
    records = []
    for row in input_data:
        record = {k: v for k, v in row.items() if k in schema and not _is_missing(v)}
        try:
            house = HouseInput.model_validate(record)
        except ValidationError:
            return None
        records.append({name: getattr(house, field) for name, field in wanted})
    config = config or load_config()
    present: set[str] = set().union(*input_data)
    _warn_absent([c for c in config.model.input_variables if c not in present])
    return ScoringRows(rows=list(range(len(input_data))), errors=[], records=records)


def validate_frame(
    input_data: pd.DataFrame, variables: list[str], config: Config | None = None
) -> ScoringRows:
    """Validate a DataFrame column by column; pydantic only for suspicious rows.

    The verdicts, the errors (their rows, columns, messages and order) and the
    values are those of :func:`validate_inputs`.

    Parameters
    ----------
    input_data : pandas.DataFrame
        Raw rows with Kaggle column names, in any order; extra columns are ignored.
    variables : list of str
        The input variables of the model, whose values are returned.
    config : Config, optional
        The configuration; the package's ``config.yml`` by default.
    """
    _warn_absent(absent_input_columns(input_data, config))
    n_rows = len(input_data)
    checks = _column_checks()
    known = [column for column in input_data.columns if column in checks]
    suspicious = np.zeros(n_rows, dtype=bool)
    for column in known:
        suspicious |= _suspicious_cells(input_data[column], checks[column])
    numeric = {c for c, check in checks.items() if check.kind in {"float", "int"}}
    columns: dict[str, np.ndarray] = {}
    for variable in variables:
        if variable not in input_data.columns:
            continue
        column = input_data[variable]
        if variable in numeric:
            # a column of another type has every present cell suspicious: those
            # rows' values come from pydantic below
            usable = pd.api.types.is_numeric_dtype(
                column.dtype
            ) and not pd.api.types.is_bool_dtype(column.dtype)
            columns[variable] = (
                column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
                if usable
                else np.full(n_rows, np.nan)
            )
        else:
            columns[variable] = column.to_numpy(dtype=object, copy=True)
    errors: list[dict[str, Any]] = []
    valid = np.ones(n_rows, dtype=bool)
    positions = np.flatnonzero(suspicious)
    if len(positions):
        fields = _field_names()
        frame = input_data.iloc[positions]
        for row, record in zip(positions.tolist(), _records(frame), strict=True):
            try:
                house = HouseInput.model_validate(record)
            except ValidationError as error:
                errors.extend(_row_errors(row, error))
                valid[row] = False
                continue
            for variable in variables:
                value = getattr(house, fields[variable])
                if variable not in columns:
                    columns[variable] = np.full(
                        n_rows, np.nan if variable in numeric else None
                    )
                if variable in numeric:
                    value = math.nan if value is None else float(value)
                columns[variable][row] = value
    rows = np.flatnonzero(valid)
    return ScoringRows(
        rows=rows.tolist(),
        errors=errors,
        columns={name: values[rows] for name, values in columns.items()},
    )
