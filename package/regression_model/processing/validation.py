"""Check raw input rows against the schema: one entry point, :func:`validate`.

Rows come as a DataFrame (a CSV, a batch partition) or as dicts (the API's JSON);
:func:`validate` takes either and returns the same :class:`ValidatedRows`: which rows
are valid, their values for the model's input columns, one error per bad cell and the
warnings (unusual column names, absent columns). A value of the wrong type ("abc" as
a living area) or out of its domain (an overall quality of 11) is an error naming the
row, the column, the value and the bounds; it costs its row only, and no row is ever
dropped without one.

Dicts go to pydantic (:class:`~regression_model.processing.schema.HouseInput`) one by
one. A DataFrame is first checked column by column with numpy, against the same
domain table: only the rows holding a cell that might be wrong go through pydantic,
which words their errors. pandas is imported for a DataFrame only, so a service that
prices dicts never loads it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError

from regression_model.processing.columns import (
    canonical_frame,
    canonical_records,
    echoed,
)
from regression_model.processing.schema import (
    DOMAINS,
    NUMERIC_CODED,
    Domain,
    HouseInput,
    accepted_names,
    field_names,
    is_missing,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ValidatedRows:
    """Rows checked against the schema, ready for either engine.

    Attributes
    ----------
    n_rows : int
        The number of input rows.
    rows : list of int
        The 0-based positions of the valid rows in the input.
    columns : dict of str to numpy.ndarray
        For each of the model's input variables, its values in the valid rows:
        float64 for numbers (NaN when missing), objects for labels (``None`` when
        missing).
    errors : list of dict
        One ``{"row", "column", "message"}`` per bad cell: ``row`` is the 0-based
        position in the input, ``column`` the Kaggle name.
    warnings : list of str
        The notes about column names, then the absent input columns (imputed as
        missing values).
    """

    n_rows: int
    rows: list[int]
    columns: dict[str, np.ndarray]
    errors: list[dict[str, Any]]
    warnings: list[str]


def validate(
    input_data: pd.DataFrame | list[dict[str, Any]], variables: list[str]
) -> ValidatedRows:
    """Check every row against the schema; return the valid rows' model inputs.

    Parameters
    ----------
    input_data : pandas.DataFrame or list of dict
        Raw rows with Kaggle column names (or their aliases), in any order; extra
        columns are ignored (and said), absent ones are missing values (and said).
    variables : list of str
        The model's input variables (Kaggle names): the columns returned.

    Returns
    -------
    ValidatedRows
        The same for a DataFrame and for its rows as dicts, but for how the errors
        show a value (a DataFrame's integer column with gaps holds ``11.0``).
    """
    if isinstance(input_data, list):
        records, notes = canonical_records(input_data)
        present: set[str] = set().union(*records)
        rows, values, errors = _check_records(records, variables)
        n_rows = len(records)
    else:
        frame, notes = canonical_frame(input_data)
        present = set(frame.columns)
        rows, values, errors = _check_frame(frame, variables)
        n_rows = len(frame)
    absent = [variable for variable in variables if variable not in present]
    if absent:
        notes = [*notes, f"input has no column {absent}: imputed as missing values"]
    return ValidatedRows(n_rows, rows, values, errors, notes)


# ---------------------------------------------------------------------------------
# Errors: one per bad cell, worded alike for both paths
# ---------------------------------------------------------------------------------

_BOUND_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _message(column: str, detail: Any) -> str:
    if detail["type"] in _BOUND_ERRORS:
        bounds = DOMAINS[column].text()
        return f"out of the domain: must be {bounds} (got {echoed(detail['input'])})"
    return f"{detail['msg']} (got {echoed(detail['input'])})"


def _row_errors(row: int, error: ValidationError) -> list[dict[str, Any]]:
    """One error per bad cell of a row, naming the row, the Kaggle column, the value
    and, for a value out of the domain, the bounds."""
    names = accepted_names()
    messages: dict[str, list[str]] = {}
    for detail in error.errors():
        column = names[str(detail["loc"][0])]
        messages.setdefault(column, []).append(_message(column, detail))
    return [
        {"row": row, "column": column, "message": "; ".join(dict.fromkeys(found))}
        for column, found in messages.items()
    ]


def _house(record: dict[str, Any]) -> HouseInput:
    """A row's present cells, checked by pydantic (raises ValidationError)."""
    return HouseInput.model_validate(
        {key: value for key, value in record.items() if not is_missing(value)}
    )


def _number(value: Any) -> float:
    """A validated number as a float, NaN if missing."""
    return math.nan if value is None else float(value)


def _store(column: np.ndarray, row: int, variable: str, value: Any) -> None:
    """Put a validated value into a column: a number as float64, NaN if missing."""
    column[row] = _number(value) if variable in DOMAINS else value


# ---------------------------------------------------------------------------------
# Dicts: pydantic, row by row
# ---------------------------------------------------------------------------------


def _check_records(
    records: list[dict[str, Any]], variables: list[str]
) -> tuple[list[int], dict[str, np.ndarray], list[dict[str, Any]]]:
    fields = field_names()
    rows: list[int] = []
    houses: list[HouseInput] = []
    errors: list[dict[str, Any]] = []
    for position, record in enumerate(records):
        try:
            house = _house({k: v for k, v in record.items() if k in fields})
        except ValidationError as error:
            errors.extend(_row_errors(position, error))
            continue
        rows.append(position)
        houses.append(house)
    # one array per kind, one row per variable: each column a contiguous row
    numbers = [v for v in variables if v in DOMAINS]
    labels = [v for v in variables if v not in DOMAINS]
    number_rows = np.array(
        [[_number(getattr(h, fields[v])) for h in houses] for v in numbers],
        dtype=np.float64,
    ).reshape(len(numbers), len(houses))
    label_rows = np.empty((len(labels), len(houses)), dtype=object)
    for index, variable in enumerate(labels):
        label_rows[index, :] = [getattr(house, fields[variable]) for house in houses]
    columns = dict(zip(numbers, number_rows, strict=True))
    columns |= dict(zip(labels, label_rows, strict=True))
    return rows, {variable: columns[variable] for variable in variables}, errors


# ---------------------------------------------------------------------------------
# A DataFrame: numpy column by column, pydantic for the suspicious rows only
# ---------------------------------------------------------------------------------

_EXACT_INTEGERS = 2.0**53


def _is_number_column(column: pd.Series) -> bool:
    from pandas.api import types

    return types.is_numeric_dtype(column.dtype) and not types.is_bool_dtype(
        column.dtype
    )


def _not_strings(column: pd.Series, present: np.ndarray) -> np.ndarray:
    """Present cells that are not strings (a label must be one)."""
    import pandas as pd

    if isinstance(column.dtype, pd.StringDtype):
        return np.zeros(len(column), dtype=bool)
    if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) in {
        "string",
        "empty",
    }:
        return np.zeros(len(column), dtype=bool)
    values = column.to_numpy(dtype=object)
    return present & np.array([not isinstance(v, str) for v in values], dtype=bool)


def _suspicious(column: pd.Series, name: str) -> np.ndarray:
    """Cells that may fail the schema's check (``True``: ask pydantic).

    Never misses a bad cell; may flag a good one (pydantic then accepts it).
    """
    present = ~column.isna().to_numpy()
    domain = DOMAINS.get(name)
    if domain is None and name in NUMERIC_CODED and _is_number_column(column):
        domain = Domain("int")  # a numeric-coded label written as a number
    if domain is None:
        return _not_strings(column, present)
    if not _is_number_column(column):
        return present
    x = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return present & outside_domain(x, domain)


def outside_domain(x: np.ndarray, domain: Domain) -> np.ndarray:
    """Numbers that fail ``domain``: not finite, fractional or beyond 2**53 in an
    integer field, or out of its bounds (NaN counts as outside: mask it)."""
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(x)
        if domain.kind == "int":
            bad |= (x != np.floor(x)) | (np.abs(x) > _EXACT_INTEGERS)
        if domain.ge is not None:
            bad |= x < domain.ge
        if domain.le is not None:
            bad |= x > domain.le
    return bad


def _frame_column(column: pd.Series | None, variable: str, n_rows: int) -> np.ndarray:
    """A variable's cells as the engines take them (suspicious ones fixed later)."""
    if column is None and variable not in DOMAINS:
        return np.full(n_rows, None, dtype=object)
    if column is None:
        return np.full(n_rows, np.nan)
    if variable in DOMAINS:
        if not _is_number_column(column):
            # every present cell is suspicious: pydantic gives those rows' values
            return np.full(n_rows, np.nan)
        return column.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    values = column.to_numpy(dtype=object, copy=True)
    values[column.isna().to_numpy()] = None
    return values


def _check_frame(
    frame: pd.DataFrame, variables: list[str]
) -> tuple[list[int], dict[str, np.ndarray], list[dict[str, Any]]]:
    n_rows = len(frame)
    suspicious = np.zeros(n_rows, dtype=bool)
    for name in frame.columns:
        suspicious |= _suspicious(frame[name], name)
    columns = {
        variable: _frame_column(
            frame[variable] if variable in frame.columns else None, variable, n_rows
        )
        for variable in variables
    }
    fields = field_names()
    errors: list[dict[str, Any]] = []
    valid = np.ones(n_rows, dtype=bool)
    positions = np.flatnonzero(suspicious)
    records = frame.iloc[positions].to_dict("records") if len(positions) else []
    for row, record in zip(positions.tolist(), records, strict=True):
        try:
            house = _house(record)
        except ValidationError as error:
            errors.extend(_row_errors(row, error))
            valid[row] = False
            continue
        for variable in variables:
            _store(columns[variable], row, variable, getattr(house, fields[variable]))
    rows = np.flatnonzero(valid)
    return rows.tolist(), {name: v[rows] for name, v in columns.items()}, errors
