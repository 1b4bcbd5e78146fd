"""An Arrow column read as the model takes it: numbers and their suspicious cells,
labels as codes, each found over the whole column at once.

- :func:`number_column`: a numeric column as float64 once, and the cells that might
  fail the schema (not finite, fractional in an integer field, out of the domain,
  text that is not a number pandas reads alike). An integer column whose smallest
  and largest values are in the domain needs no more (:func:`integers_within`).
- :func:`label_codes`: a label column dictionary-encoded once (Parquet stores it
  so); its few distinct labels go through the plan's tables
  (:meth:`~regression_model.serving.plan.ScoringPlan.label_codes`) and every house
  takes its label's code by a gather: no per-cell Python for labels, unseen labels
  or rare ones.
- :func:`not_labels`: the cells of a label column that may not be labels.

:mod:`.columnar` puts them together into one partition's check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from regression_model.processing.schema import NUMERIC_CODED, Domain
from regression_model.processing.validation import outside_domain
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


def is_plain_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type is text, not yet dictionary-encoded."""
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_string_view(kind)
    )


def is_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type holds only text (or nothing): a label, never wrong."""
    if pa.types.is_dictionary(kind):
        return is_text(kind.value_type)
    return is_plain_text(kind) or pa.types.is_null(kind)


def _is_number(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind)


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
    # Arrow's take, on the int32 indices as they are (numpy's fancy indexing would
    # first convert them to int64: 4x slower here)
    parts = [
        pc.take(
            pa.array(np.append(of_values(chunk.dictionary), missing)), _indices(chunk)
        ).to_numpy(zero_copy_only=False)
        for chunk in column.chunks
    ]
    if not parts:
        return np.empty(0, dtype=np.asarray(missing).dtype)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


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
        if isinstance(column, pa.Array):
            column = pa.chunked_array([column])
        x = _gather(
            column, lambda values: number_column(values, domain, pattern)[0], np.nan
        )
        bad = _gather(
            column, lambda values: number_column(values, domain, pattern)[1], False
        )
        return x, bad
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

    def codes(labels: pa.Array) -> np.ndarray:
        return np.asarray(plan.label_codes(variable, labels.to_pylist(), len(labels)))

    return _gather(column, codes, missing)
