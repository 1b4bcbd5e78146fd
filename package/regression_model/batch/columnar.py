"""Check and encode one partition as Arrow columns: the batch job's fast path.

:func:`regression_model.predict.make_prediction` validates a row, looks each label
up and prices it; done on a partition of 100,000 rows, most of its time went to
Python work per cell. Here the same work runs on whole columns of an Arrow table,
with the same results bit for bit and the same error messages:

- a **numeric column** becomes float64 once, and the cells that might fail the
  schema are found over the whole column at once;
- a **label column** is encoded once: its few distinct labels are looked up, and
  every house gets its code by a gather (both: :mod:`.arrow_columns`);
- a **row holding a cell that might fail** (a few rows of a dirty file, none of a
  clean one) goes through the package's own validation,
  :func:`regression_model.processing.validation.validate`, which words its errors
  and gives its values, exactly as for the whole partition.

:func:`regression_model.batch.score.score_table` then prices every valid row in
one call, with the same float operations on the same rows as make_prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from regression_model.batch.arrow_columns import (
    WHOLE_NUMBER,
    integers_within,
    is_text,
    label_codes,
    not_labels,
    number_column,
)
from regression_model.batch.cells import numbers_where_possible, whole_ids
from regression_model.processing.columns import column_notes
from regression_model.processing.schema import DOMAINS
from regression_model.processing.validation import validate
from regression_model.serving.plan import ScoringPlan


def columns_to_read(
    names: Sequence[Any],
    types: Sequence[pa.DataType] | None,
    *,
    plan: ScoringPlan,
    id_variable: str,
) -> list[tuple[int, str]]:
    """The columns of a file the job reads: ``(position, Kaggle name)``, in order.

    The Id, every numeric column of the schema (validated, even those the model
    does not use), the model's label columns, and any other label column whose
    type is not text (``types``; ``None`` for a CSV, all text). A label column of
    text is never wrong, so it is not read. An alias reads as its Kaggle name; of
    a column given twice, the first, as
    :func:`regression_model.processing.columns.canonical_frame` reads a frame.
    """
    used, _ = column_notes(list(names))
    needed = {id_variable, *DOMAINS, *plan.tables}
    taken: set[str] = set()
    picks = []
    for position, key in enumerate(names):
        kaggle = used.get(key) if isinstance(key, str) else None
        if kaggle is None or kaggle in taken:
            continue
        taken.add(kaggle)
        if kaggle in needed or (types is not None and not is_text(types[position])):
            picks.append((position, kaggle))
    return picks


@dataclass(frozen=True)
class Encoded:
    """A partition checked and encoded: what pricing its rows needs.

    Attributes
    ----------
    valid : numpy.ndarray of bool
        The rows to price (validation accepted them).
    values : dict of str to numpy.ndarray
        For every input of the model, one float64 per row: a label's code, a
        number (NaN for missing). Rows not valid hold anything.
    ids : pandas.Series
        The Ids as nullable integers (null where not a whole number).
    bad_ids : dict of int to str
        The message of each row whose Id is not a whole number.
    errors : list of dict
        validate()'s ``{"row", "column", "message"}`` for the rows it checked,
        ``row`` the position in the partition, in row order.
    """

    valid: np.ndarray
    values: dict[str, np.ndarray]
    ids: pd.Series
    bad_ids: dict[int, str]
    errors: list[dict[str, Any]]


def encode(table: pa.Table, plan: ScoringPlan, id_variable: str) -> Encoded:
    """Check and encode a partition read by :func:`columns_to_read`'s columns.

    ``table`` has Kaggle names, each once, and an Id column.
    """
    n_rows = table.num_rows
    suspicious = np.zeros(n_rows, dtype=bool)
    numbers: dict[str, np.ndarray] = {}
    for name in table.column_names:
        if name in DOMAINS:
            if name not in plan.inputs and name != id_variable:
                if integers_within(table[name], DOMAINS[name]):
                    continue  # validated, and the model does not read it
            pattern = WHOLE_NUMBER if name == id_variable else None
            numbers[name], bad = number_column(table[name], DOMAINS[name], pattern)
        else:
            bad = not_labels(table[name], name)
        suspicious |= bad
    ids = numbers[id_variable]
    suspicious |= np.isnan(ids)  # no Id: its row gets the job's own message
    values = {
        variable: numbers.get(variable, np.full(n_rows, np.nan))
        for variable in plan.numerical
    }
    for variable in plan.categorical:
        column = table[variable] if variable in table.column_names else None
        values[variable] = label_codes(column, variable, plan, n_rows)
    whole = np.where(suspicious, 0, ids).astype(np.int64)
    encoded = Encoded(
        valid=np.ones(n_rows, dtype=bool),
        values=values,
        ids=pd.Series(pd.arrays.IntegerArray(whole, np.zeros(n_rows, dtype=bool))),
        bad_ids={},
        errors=[],
    )
    positions = np.flatnonzero(suspicious)
    if len(positions):
        _validate_rows(table, positions, plan, id_variable, encoded)
    return encoded


def rows_as_frame(table: pa.Table, positions: np.ndarray) -> pd.DataFrame:
    """Some rows of the table as pandas gives the whole table: an integer column
    with gaps anywhere is floats (so an error echoes ``11.0`` either way)."""
    rows = table.take(pa.array(positions))
    for index, field in enumerate(rows.schema):  # a text column read encoded
        if pa.types.is_dictionary(field.type):
            rows = rows.set_column(
                index, field.name, rows[index].cast(field.type.value_type)
            )
    frame = rows.to_pandas()
    for name in table.column_names:
        kind = frame[name].dtype
        if table[name].null_count and isinstance(kind, np.dtype) and kind.kind in "iu":
            frame[name] = frame[name].astype(np.float64)
    return frame


def _validate_rows(
    table: pa.Table,
    positions: np.ndarray,
    plan: ScoringPlan,
    id_variable: str,
    encoded: Encoded,
) -> None:
    """Check the suspicious rows one by one, as the reference path does
    (:func:`regression_model.batch.score.score_frame`), into ``encoded``."""
    rows = rows_as_frame(table, positions)
    ids, bad_ids = whole_ids(rows[id_variable])
    for name in rows.columns:
        if name == id_variable or name not in DOMAINS:
            continue  # the Id goes to validation as it is, as in score_frame
        if not pd.api.types.is_numeric_dtype(rows[name]):
            rows[name] = numbers_where_possible(rows[name])
    checked = validate(rows, plan.inputs)
    encoded.ids.iloc[positions] = ids.to_numpy()
    encoded.bad_ids.update({int(positions[r]): m for r, m in bad_ids.items()})
    encoded.errors.extend(
        {**e, "row": int(positions[e["row"]])} for e in checked.errors
    )
    encoded.valid[positions] = False
    good = positions[np.asarray(checked.rows, dtype=np.int64)]
    encoded.valid[good] = True
    for variable in plan.inputs:
        column = encoded.values[variable] = np.array(encoded.values[variable])
        if variable in plan.tables:
            column[good] = plan.label_codes(
                variable, checked.columns[variable], len(good)
            )
        else:
            column[good] = checked.columns[variable]
