"""Check and encode one partition as Arrow columns: the batch job's fast path.

:func:`regression_model.predict.make_prediction` validates a row, looks each label
up and prices it; done on a partition of 100,000 rows, most of its time went to
Python work per cell. Here the same work runs on whole columns of an Arrow table,
with the same results bit for bit and the same error messages:

- a **numeric column** becomes float64 once, and the cells that might fail the
  schema (not finite, fractional in an integer field, out of the domain, text that
  is not a plain number) are found over the whole column at once;
- a **label column** is dictionary-encoded once (Parquet stores it so): its few
  distinct labels are looked up in the plan's tables
  (:meth:`~regression_model.serving.plan.ScoringPlan.unique_codes`) and every house
  gets its code by a gather; no per-cell Python for labels, unseen labels or rare
  ones;
- a **row holding a cell that might fail** (a few rows of a dirty file, none of a
  clean one) goes through the package's own validation,
  :func:`regression_model.processing.validation.validate`, which words its errors
  and gives its values, exactly as for the whole partition.

:func:`regression_model.batch.score.score_table` then prices every valid row in
one call, with the same float operations on the same rows as make_prediction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from regression_model.batch.cells import numbers_where_possible, whole_ids
from regression_model.processing.columns import column_notes
from regression_model.processing.schema import DOMAINS, NUMERIC_CODED, Domain
from regression_model.processing.validation import outside_domain, validate
from regression_model.serving.plan import ScoringPlan

# A number as files write one: digits, maybe a fraction, no sign (every domain is
# positive). Arrow and pandas read it to the same float. In a numeric column that
# Arrow cannot cast whole, any other text (" 5", "abc") sends its row to
# validate(), which reads it as it always has.
PLAIN_NUMBER = r"^[0-9]{1,15}(\.[0-9]{0,15})?$"
# An Id goes to validation as text (pydantic's integer reads "1463.0", not "1e3"):
# a text Id is read here only when it is digits, maybe with a zero fraction.
WHOLE_NUMBER = r"^[0-9]{1,15}(\.0{1,15})?$"
ANY_WHOLE_NUMBER = Domain("int")  # a numeric-coded label written as a number


def is_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type holds only text (or nothing): a label, never wrong."""
    if pa.types.is_dictionary(kind):
        return is_text(kind.value_type)
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
        or pa.types.is_null(kind)
    )


def _is_number(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind)


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


def _floats(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A numeric column as float64, NaN where a cell is null (maybe read-only)."""
    if column.null_count or not _is_number(column.type):
        column = pc.fill_null(pc.cast(column, pa.float64(), safe=False), np.nan)
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def _gather(
    column: pa.ChunkedArray, of_values: Callable[[pa.Array], np.ndarray], missing: Any
) -> np.ndarray:
    """A dictionary-encoded column's result, computed once per distinct value:
    ``of_values`` maps a chunk's dictionary to one result per entry, and every
    cell takes its entry's (``missing`` for a null cell)."""
    parts = [np.empty(0, dtype=np.asarray(missing).dtype)]
    for chunk in column.chunks:
        results = pa.array(np.append(of_values(chunk.dictionary), missing))
        # Arrow's take, on the int32 indices as they are (numpy's fancy indexing
        # would first convert them to int64: 4x slower here)
        taken = pc.take(results, _indices(chunk))
        parts.append(taken.to_numpy(zero_copy_only=False))
    return parts[-1] if len(parts) == 2 else np.concatenate(parts)


def _indices(chunk: pa.DictionaryArray) -> pa.Array:
    """A dictionary-encoded chunk's indices, a null cell at the end (one past the
    dictionary)."""
    indices = chunk.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(chunk.dictionary))
    return indices


def number_column(
    column: pa.ChunkedArray | pa.Array, domain: Domain, pattern: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A numeric column's values (NaN: missing or unread) and its suspicious cells.

    A suspicious cell may fail the schema: its row goes to validate(). Never misses
    a bad cell (the rule of :func:`regression_model.processing.validation.validate`
    for a DataFrame); text is read here only when it is a plain number. A
    dictionary-encoded column (text of a CSV) is read once per distinct value.
    """
    kind = column.type
    if pa.types.is_dictionary(kind):
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        xs, bads = [np.empty(0)], [np.zeros(0, dtype=bool)]
        for chunk in chunks:
            x, bad = number_column(chunk.dictionary, domain, pattern)
            index = _indices(chunk)
            xs.append(pc.take(pa.array(np.append(x, np.nan)), index).to_numpy())
            taken = pc.take(pa.array(np.append(bad, False)), index)
            bads.append(taken.to_numpy(zero_copy_only=False))
        if len(chunks) == 1:
            return xs[1], bads[1]
        return np.concatenate(xs), np.concatenate(bads)
    if _is_number(kind):
        x = _floats(column)
        if integers_within(column, domain):
            return x, np.zeros(len(column), dtype=bool)
        return x, ~np.isnan(x) & outside_domain(x, domain)
    if pa.types.is_null(kind):
        return np.full(len(column), np.nan), np.zeros(len(column), dtype=bool)
    if is_text(kind):
        return _text_numbers(column, domain, pattern)
    # booleans, dates, decimals...: validate() says what they are
    return np.full(len(column), np.nan), _present(column)


def integers_within(column: pa.ChunkedArray | pa.Array, domain: Domain) -> bool:
    """Whether a column is integers, all in ``domain``: then no cell can fail (one
    pass over it, for its smallest and largest)."""
    if not pa.types.is_integer(column.type):
        return False
    if column.null_count == len(column):
        return True
    extremes = pc.min_max(column).as_py()
    low = -(2**53) if domain.ge is None else domain.ge
    high = 2**53 if domain.le is None else domain.le
    return bool(low <= extremes["min"] and extremes["max"] <= high)


def _text_numbers(
    column: pa.ChunkedArray | pa.Array, domain: Domain, pattern: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """A text column's numbers, and its suspicious cells.

    Without ``pattern``, Arrow's cast reads the column at once when every cell is a
    number it knows: it reads them as pandas does, to the same float (its "nan" and
    "-0" are left to validate()). A column holding any other text ("abc", " 5"),
    or every column with a ``pattern``, is read cell by cell: a cell that matches
    the pattern as a number, the rest left to validate().
    """
    if pattern is None:
        try:
            x = _floats(pc.cast(column, pa.float64()))
        except pa.ArrowInvalid:
            pattern = PLAIN_NUMBER
        else:
            odd = _present(column) & (np.isnan(x) | np.signbit(x))
    if pattern is not None:
        plain = pc.match_substring_regex(column, pattern)
        x = _floats(pc.if_else(plain, column, pa.scalar(None, column.type)))
        odd = pc.fill_null(pc.invert(plain), False).to_numpy(zero_copy_only=False)
    return x, odd | (~np.isnan(x) & outside_domain(x, domain))


def _present(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Cells holding a value (pandas' reading: NaN is missing too)."""
    if pa.types.is_floating(column.type):
        return ~np.isnan(_floats(column))
    return np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False), dtype=bool)


def not_labels(column: pa.ChunkedArray, variable: str) -> np.ndarray:
    """The cells of a label column that may not be labels (``True``: validate it)."""
    if variable in NUMERIC_CODED and _is_number(column.type):
        return number_column(column, ANY_WHOLE_NUMBER)[1]
    if is_text(column.type):
        return np.zeros(len(column), dtype=bool)
    return _present(column)


def label_codes(
    column: pa.ChunkedArray | None, variable: str, plan: ScoringPlan, n_rows: int
) -> np.ndarray:
    """A label column's codes: encoded once, its distinct labels looked up once."""
    missing = plan.missing_codes[variable]
    if column is None or pa.types.is_null(column.type):
        return np.full(n_rows, missing)
    if not pa.types.is_dictionary(column.type):
        column = pa.chunked_array([pc.dictionary_encode(column.combine_chunks())])
    return _gather(
        column,
        lambda labels: plan.unique_codes(variable, labels.to_pylist())[:-1],
        missing,
    )


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
