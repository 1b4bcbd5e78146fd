"""Write the files the command lines make: atomically, to special outputs, safely.

Writing a file in place can leave half of it behind: a full disk, a killed process,
a reader that opens it mid-write. So the bytes go to a temporary file in the same
folder (a rename is atomic only within one file system), are flushed to disk with
``fsync``, and the temporary file is renamed over the old one with ``os.replace``.
If anything fails first, the temporary file is removed and the old file is whole.

A rename replaces whatever has the name, so :func:`write_output` looks first:

- ``-`` is standard output;
- a symlink is followed: its target is written atomically, the link is kept;
- a FIFO or a character device (``/dev/null``) is written to directly, never
  replaced; a folder or anything else is refused (``OSError``).

What reaches an output or an error line is made safe too: an ``Id`` is a whole
number (:func:`whole_number`) or the row is an error, a text cell starting with
``= + - @`` (a formula to a spreadsheet) gets a ``'`` in front
(:func:`neutralise_cells`), and a value echoed in an error is cut to
:data:`MAX_SHOWN` characters (:func:`shown`).

The teaching stages keep the same guarantees with the simplest code that gives them;
this is the full-strength version: the new file gets the permissions ``open()``
would give it, and nothing is left behind on any error.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STDOUT = "-"
MAX_SHOWN = 80
FORMULA_STARTS = ("=", "+", "-", "@")
_WHOLE = re.compile(r"\+?(\d+)(\.0*)?")


def write_temporary(path: Path, content: bytes) -> Path:
    """Write ``content`` to a new hidden file beside ``path``, flushed to disk."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            # mkstemp makes the file private (0600): give it the mode open() would
            os.fchmod(file.fileno(), 0o666 & ~_umask())
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` all at once: a reader sees old or new.

    The bytes go to a temporary file in the same folder (a rename is atomic only
    within one file system), are flushed with ``fsync``, and the file is renamed over
    ``path`` with ``os.replace``. If writing fails (a full disk), the temporary file
    is removed and ``path`` is untouched.
    """
    temporary = write_temporary(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` without ever replacing what is not a plain file.

    ``-`` writes to standard output. A symlink is followed, and its target written
    atomically (:func:`atomic_write_bytes`); so is a new or a regular file, after
    making its folder. A FIFO or a character device is written to directly.

    Raises
    ------
    OSError
        If ``path`` is a folder or another kind of file (a socket, a block device),
        or cannot be written.
    """
    if str(path) == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(os.path.realpath(path))  # the file a symlink points to
    try:
        mode: int | None = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode())
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with open(target, "wb") as file:
            file.write(text.encode())
    elif stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file")
    else:
        raise OSError(errno.EINVAL, "is not a regular file: refusing to replace it")


def whole_number(value: Any) -> int | None:
    """An ``Id`` as an ``int``; ``None`` if it is missing or not a whole number >= 0.

    ``1461``, ``1461.0`` (a column with a gap is read as floats) and ``"1461"`` are
    ``1461``; ``1461.5``, ``"abc"``, ``-1`` and a missing value are ``None``.
    """
    if isinstance(value, str):
        match = _WHOLE.fullmatch(value.strip())
        return int(match.group(1)) if match else None
    if hasattr(value, "item"):  # a numpy scalar, as pandas gives them
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    return value if value >= 0 else None


def whole_ids(
    values: list[Any], column: str = "Id"
) -> tuple[list[int | None], list[dict[str, Any]]]:
    """Each ``Id`` as an ``int`` (or ``None``), and one error per row without one.

    An error is ``{"row", "column", "message"}`` (``row`` the 0-based position), as
    :func:`regression_model.predict.make_prediction` gives them.
    """
    ids = [whole_number(value) for value in values]
    errors = [
        {"row": row, "column": column, "message": id_problem(value)}
        for row, (value, number) in enumerate(zip(values, ids, strict=True))
        if number is None
    ]
    return ids, errors


def id_problem(value: Any) -> str:
    """The error of a row whose ``Id`` is not a whole number (one wording, 3 stages)."""
    return f"the Id {shown(value)} is not a whole number >= 0"


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """``value`` as one line of at most ``limit`` characters: an echo, not a copy."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def neutralise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells starting with ``= + - @`` begin with ``'``.

    A spreadsheet runs a cell such as ``=HYPERLINK(...)`` as a formula; with the
    quote in front it shows it as text. Numbers are left as they are.
    """
    frame = frame.copy()
    for column in frame.columns:
        cells = frame[column].tolist()
        formulas = [
            isinstance(cell, str) and cell.startswith(FORMULA_STARTS) for cell in cells
        ]
        if any(formulas):  # only then: a column of numbers keeps its dtype
            frame[column] = [
                f"'{cell}" if formula else cell
                for cell, formula in zip(cells, formulas, strict=True)
            ]
    return frame
