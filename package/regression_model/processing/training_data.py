"""Check ``train.csv`` before training: the columns, the size, every value, the price.

A model learns whatever its training file holds. Prices in cents make a model that
prices every house a hundred times too dear; an overall quality of 99 teaches it a
slope no real house has; five rows teach it nothing. So before anything is fitted,
:func:`load_training_data` reads the file and checks it with the predictor's own
rules:

- the columns the model needs (its input variables and the target) are all there,
  and none of the inputs is missing in every row;
- there are at least ``min_training_rows`` rows (``config.yml``);
- every input value passes :func:`regression_model.processing.validation.validate`,
  the check every price request goes through, with the same domains;
- every sale price is a finite number inside the plausible prices (``config.yml``'s
  ``min_price`` to ``max_price``), which catches prices in cents or in thousands.

Each problem is one line naming the file, the row and the column; a file with any
problem trains nothing (:class:`TrainingDataError`). A row is its 0-based position
among the data rows, as in the errors of ``regression_model.predict``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regression_model.config import ModelConfig
from regression_model.processing.data_manager import load_dataset
from regression_model.processing.validation import validate

if TYPE_CHECKING:
    import pandas as pd

MAX_PROBLEMS = 20
"""At most this many problems are listed (then a count of the rest)."""

MAX_SHOWN_CHARS = 80
"""A value echoed in a problem is cut to this many characters."""

MAX_MESSAGE_CHARS = 240
"""A problem's message (which may echo a value) is cut to this many characters."""


class TrainingDataError(ValueError):
    """The training file cannot train the model.

    Attributes
    ----------
    problems : list of str
        One line per problem, each naming the file (and the row and the column
        when there is one); at most :data:`MAX_PROBLEMS`, then a count of the rest.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def load_training_data(
    file_name: str, directory: Path, config: ModelConfig
) -> pd.DataFrame:
    """Read the training file and check it (see the module's docstring).

    Parameters
    ----------
    file_name : str
        The file's name, ``train.csv``.
    directory : Path
        The folder holding it.
    config : ModelConfig
        The model's configuration: its variables, target, price bounds and
        ``min_training_rows``.

    Returns
    -------
    pandas.DataFrame
        The file as ``pandas.read_csv`` reads it, unchanged.

    Raises
    ------
    TrainingDataError
        If the file is absent, unreadable or has any problem, one line each.
    """
    path = directory / file_name
    try:
        data = load_dataset(file_name, directory)
    except FileNotFoundError as error:
        raise TrainingDataError([_one_line(error)]) from error
    except (OSError, ValueError) as error:  # ValueError: parser, empty, not UTF-8
        raise TrainingDataError([f"{path}: cannot read it as CSV ({error})"]) from error
    problems = training_problems(data, config)
    if problems:
        raise TrainingDataError(_lines(path, problems))
    return data


def training_problems(data: pd.DataFrame, config: ModelConfig) -> list[dict[str, Any]]:
    """Every problem of a training frame, as ``{"row", "column", "message"}``.

    ``row`` and ``column`` are ``None`` for a problem of the whole file or of a
    whole column. An empty list means the frame can train the model.
    """
    needed = [*config.input_variables, config.target]
    problems: list[dict[str, Any]] = [
        _problem(None, column, "absent: the model needs this column")
        for column in needed
        if column not in data.columns
    ]
    if len(data) < config.min_training_rows:
        problems.append(
            _problem(
                None,
                None,
                f"{len(data)} rows: training needs at least "
                f"{config.min_training_rows} (min_training_rows in config.yml)",
            )
        )
    inputs = [column for column in config.input_variables if column in data.columns]
    problems += [
        _problem(None, column, "every value is missing: nothing to learn from")
        for column in inputs
        if len(data) and data[column].isna().all()
    ]
    problems += validate(data[inputs], inputs).errors
    if config.target in data.columns:
        problems += _price_problems(data[config.target], config)
    return problems


def _price_problems(prices: pd.Series, config: ModelConfig) -> list[dict[str, Any]]:
    """One problem per sale price that is missing, not a number or implausible."""
    import pandas as pd

    numbers = pd.to_numeric(prices, errors="coerce").to_numpy(dtype=float)
    missing = prices.isna().to_numpy()
    bounds = f"${config.min_price:,.0f} to ${config.max_price:,.0f}"
    problems = []
    for row, (value, number, absent) in enumerate(
        zip(prices.tolist(), numbers.tolist(), missing.tolist(), strict=True)
    ):
        if absent:
            message = "missing: every house needs its sale price"
        elif isinstance(value, bool) or math.isnan(number):
            message = f"not a number (got {_shown(value)})"
        elif not math.isfinite(number) or number <= 0:
            message = f"must be a positive, finite price in dollars (got {number!r})"
        elif not config.min_price <= number <= config.max_price:
            message = (
                f"outside the plausible prices, {bounds} (min_price and max_price in "
                f"config.yml): a price in cents or thousands? (got {number:,.0f})"
            )
        else:
            continue
        problems.append(_problem(row, config.target, message))
    return problems


def _problem(row: int | None, column: str | None, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "message": message}


def _lines(path: Path, problems: list[dict[str, Any]]) -> list[str]:
    """The problems as one line each, at most :data:`MAX_PROBLEMS`."""
    lines = []
    for problem in problems[:MAX_PROBLEMS]:
        where = [
            f"{name} {problem[name]}"
            for name in ("row", "column")
            if problem[name] is not None
        ]
        place = f"{path}: {', '.join(where)}" if where else str(path)
        lines.append(
            f"{place}: {_cut(_one_line(problem['message']), MAX_MESSAGE_CHARS)}"
        )
    if len(problems) > MAX_PROBLEMS:
        lines.append(f"{path}: {len(problems) - MAX_PROBLEMS} more problems not shown")
    return lines


def _shown(value: Any) -> str:
    """A value as the problem shows it: its repr, cut to :data:`MAX_SHOWN_CHARS`."""
    return _cut(repr(value), MAX_SHOWN_CHARS)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(reason: object) -> str:
    return " ".join(str(reason).split())
