"""Column names: which column each name of the input stands for, said when unusual.

A client may send a Kaggle name (``1stFlrSF``), its Python alias (``FirstFlrSF``), a
name twice, a near miss (``GrLivArae``) or a key the schema does not know. The same
reading holds for a DataFrame and for dicts: each known name maps to its Kaggle name,
the first of a repeated column is used, and every other case is one note, which
:func:`regression_model.processing.validation.validate` returns as a warning.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from regression_model.processing.schema import accepted_names

if TYPE_CHECKING:
    import pandas as pd

# At most this many notes about column names per call (then a count of the rest): a
# body of thousands of junk keys must not get thousands of warnings back, nor pay
# for a "did you mean" search on each of them (only the notes shown are worded).
MAX_COLUMN_NOTES = 20

# A name is quoted in a note up to this many characters: a key of megabytes is not
# copied into every answer that mentions it.
MAX_NAME_SHOWN = 80

# pandas renames a CSV header's repeated name X to X.1, X.2, ...
_REPEATED_HEADER = re.compile(r"^(?P<name>.+)\.(?P<n>[1-9][0-9]*)$")


def echoed(value: Any) -> str:
    """``repr(value)``, cut to :data:`MAX_NAME_SHOWN` characters (then ``...``).

    Every message that quotes a column name or a cell it was given uses this: an
    echo, never a copy of a 64 MiB cell.
    """
    text = repr(value[: MAX_NAME_SHOWN + 1] if isinstance(value, str) else value)
    return text if len(text) <= MAX_NAME_SHOWN else text[:MAX_NAME_SHOWN] + "..."


def _did_you_mean(key: str) -> str:
    """`` (did you mean 'GrLivArea'?)`` for a near miss (case ignored), else ``""``."""
    by_lower = {name.lower(): name for name in accepted_names()}
    if key.lower() in by_lower:
        return f" (did you mean {accepted_names()[by_lower[key.lower()]]!r}?)"
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.8)
    if close:
        return f" (did you mean {accepted_names()[by_lower[close[0]]]!r}?)"
    return ""


def _ignored(key: Any) -> str:
    """The note about a key that names no column of the schema."""
    repeated = _REPEATED_HEADER.match(key) if isinstance(key, str) else None
    if repeated and repeated["name"] in accepted_names():
        return (
            f"ignored column {echoed(key)}: a repeated {repeated['name']!r} column "
            "(a CSV header naming it twice); the first one is used"
        )
    near = _did_you_mean(key) if isinstance(key, str) else ""
    return f"ignored column {echoed(key)}: not a column of the schema{near}"


def _repeated(key: Any, seen: Any) -> str:
    """The note about a key naming a column that an earlier key already gave."""
    if seen == key:
        return f"column {echoed(key)} is given more than once: the first one is used"
    return (
        f"column {echoed(key)} names the same column as {echoed(seen)}: "
        "the first one given is used"
    )


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
    names = accepted_names()
    used: dict[Any, str] = {}
    first: dict[str, Any] = {}
    # Each unusual key once, in order: (its type, the key, the earlier key it
    # repeats or None if it is ignored). Only the notes shown are worded, so a junk
    # key beyond them costs no "did you mean" search.
    unusual: dict[tuple[type, Any, str | None], None] = {}
    for key in keys:
        kaggle = names.get(key) if isinstance(key, str) else None
        if kaggle is None:
            unusual[type(key), key, None] = None
        elif kaggle in first:
            unusual[type(key), key, first[kaggle]] = None
        else:
            first[kaggle] = key
            used[key] = kaggle
    notes = [
        _ignored(key) if seen is None else _repeated(key, seen)
        for _, key, seen in list(unusual)[:MAX_COLUMN_NOTES]
    ]
    if len(unusual) > MAX_COLUMN_NOTES:
        rest = len(unusual) - MAX_COLUMN_NOTES
        notes.append(f"{rest} more notes about ignored or repeated columns not shown")
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
    names = accepted_names()
    records = []
    for row in input_data:
        record: dict[str, Any] = {}
        for key, value in row.items():
            kaggle = names.get(key) if isinstance(key, str) else None
            if kaggle is not None and kaggle not in record:
                record[kaggle] = value
        records.append(record)
    return records, notes
