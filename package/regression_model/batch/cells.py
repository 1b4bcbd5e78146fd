"""What the batch job reads a cell as: a whole-number Id, a number written as text.

The job's input is often text (every cell of a CSV), so two readings are its own:

- :func:`whole_ids`: a row's Id must be a whole number (``1461``, ``"1461"`` or
  ``1461.0``); an empty, fractional or text Id costs its row only (no price, an
  error), and the output's Ids are integers;
- :func:`numbers_where_possible`: a numeric column given as text becomes numbers
  cell by cell, so that validation rejects exactly the cell that is no number, and
  no other row of its partition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ECHO = 80  # characters of a bad Id echoed in its error, at most
MISSING_ID = "missing: every row needs a whole-number Id"


def numbers_where_possible(column: pd.Series) -> pd.Series:
    """A text column as numbers, cell by cell; a cell that is no number stays text.

    Validation then rejects exactly that cell's row and no other (a CSV partition
    with ``GrLivArea="abc"`` in one row is not a partition of bad rows). Every
    number is a float, whatever the other cells hold, so that a cell reads (and an
    error echoes it) the same in any partition; a boolean stays one (validation
    refuses it, as it does everywhere).
    """
    values = column.to_numpy(dtype=object)
    numbers = np.asarray(pd.to_numeric(values, errors="coerce"), dtype=np.float64)
    keep = np.isnan(numbers) & ~pd.isna(values)  # no number: the text, for validation
    keep |= np.fromiter(
        (type(v) in (bool, np.bool_) for v in values), bool, len(values)
    )
    cells = numbers.astype(object)
    cells[keep] = values[keep]
    return pd.Series(cells, index=column.index, name=column.name, dtype=object)


def whole_ids(column: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """The Ids as integers (nullable), and one message per row whose Id is not one.

    An Id is a whole number (``1461``, ``"1461"`` or ``1461.0``); an empty,
    fractional or text Id is null in the output and its row an error row.
    """
    values = column.reset_index(drop=True).astype(object)
    numbers = pd.to_numeric(values, errors="coerce").astype(np.float64).to_numpy()
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        whole &= np.abs(numbers) < 2.0**53
    ids = pd.arrays.IntegerArray(np.where(whole, numbers, 0).astype(np.int64), ~whole)
    problems: dict[int, str] = {}
    for row in np.flatnonzero(~whole):
        value = values[row]
        text = "" if value is None or value is pd.NA else str(value).strip()
        problems[int(row)] = (
            MISSING_ID
            if text in {"", "nan", "NaN"}
            else f"must be a whole number, got {text[:ECHO]!r}"
        )
    return pd.Series(ids, name=column.name), problems
