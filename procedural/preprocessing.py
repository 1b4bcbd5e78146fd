"""One small function per preprocessing step.

Each function takes a DataFrame and the parameters the step needs, and returns a new
DataFrame: the caller's frame is never changed. The functions know nothing of
``config``: ``procedural/features.py`` calls them in order with its parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def _as_label(value: object) -> object:
    """Write one number-coded category as a label: 20, 20.0 and "20" give "20"."""
    if pd.isna(value):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    return str(int(number)) if number.is_integer() else str(value)


def labels_from_numbers(data: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    """Turn categories written as numbers into string labels.

    Parameters
    ----------
    data : pandas.DataFrame
    variables : sequence of str
        Categorical variables coded as numbers (``MSSubClass``).

    Returns
    -------
    pandas.DataFrame
        A copy where 20, 20.0 and "20" all read "20"; missing values stay missing.
    """
    data = data.copy()
    for var in variables:
        data[var] = data[var].map(_as_label).astype("str")
    return data


def replace_unseen_labels(
    data: pd.DataFrame, seen_labels: Mapping[str, Sequence[str]]
) -> pd.DataFrame:
    """Treat a label the training split never had as a missing value.

    Parameters
    ----------
    data : pandas.DataFrame
    seen_labels : mapping of str to sequence of str
        For each categorical variable, the labels present in the training split.

    Returns
    -------
    pandas.DataFrame
        A copy with every categorical variable as strings, unseen labels missing.
    """
    data = data.copy()
    for var, labels in seen_labels.items():
        values = data[var].astype("str")
        data[var] = values.where(values.isin(labels))
    return data


def impute_with_missing_label(
    data: pd.DataFrame, variables: Sequence[str], missing_label: str = "Missing"
) -> pd.DataFrame:
    """Replace missing values with a label of their own.

    Parameters
    ----------
    data : pandas.DataFrame
    variables : sequence of str
        Categorical variables that had missing values in the training split.
    missing_label : str, default="Missing"

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var in variables:
        data[var] = data[var].fillna(missing_label)
    return data


def impute_with_frequent_label(
    data: pd.DataFrame, frequent_labels: Mapping[str, str]
) -> pd.DataFrame:
    """Replace missing values with the most frequent label of the training split.

    Parameters
    ----------
    data : pandas.DataFrame
    frequent_labels : mapping of str to str
        For each categorical variable that had no missing values in the training
        split, its most frequent label there.

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var, label in frequent_labels.items():
        data[var] = data[var].fillna(label)
    return data


def impute_numerical(data: pd.DataFrame, means: Mapping[str, float]) -> pd.DataFrame:
    """Replace missing values with the mean of the training split.

    A value that is not a number (text in a numerical column) counts as missing.

    Parameters
    ----------
    data : pandas.DataFrame
    means : mapping of str to float
        For each numerical variable, its mean in the training split.

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var, mean in means.items():
        data[var] = pd.to_numeric(data[var], errors="coerce").fillna(mean)
    return data


def elapsed_years(
    data: pd.DataFrame, variables: Sequence[str], reference_variable: str
) -> pd.DataFrame:
    """Replace years with the years elapsed until the reference year.

    Parameters
    ----------
    data : pandas.DataFrame
    variables : sequence of str
        Year variables, such as ``YearRemodAdd``.
    reference_variable : str
        The year to count until, ``YrSold``.

    Returns
    -------
    pandas.DataFrame
        A copy where each variable holds ``reference_variable - variable``.
    """
    data = data.copy()
    for var in variables:
        data[var] = data[reference_variable] - data[var]
    return data


def log_transform(data: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    """Replace skewed positive variables with their natural logarithm.

    Parameters
    ----------
    data : pandas.DataFrame
    variables : sequence of str

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var in variables:
        data[var] = np.log(data[var])
    return data


def binarize(data: pd.DataFrame, variables: Sequence[str]) -> pd.DataFrame:
    """Replace mostly-zero variables with 1 where positive and 0 elsewhere.

    Parameters
    ----------
    data : pandas.DataFrame
    variables : sequence of str

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var in variables:
        data[var] = (data[var] > 0).astype("int64")
    return data


def map_labels(
    data: pd.DataFrame, mappings: Mapping[str, Mapping[str, int]]
) -> pd.DataFrame:
    """Replace labels with numbers.

    Used twice: for ordered categories, numbered by rank (quality: Po 1 ... Ex 5),
    and, once rare labels are grouped, for the other categories, numbered in the
    order of their mean log price in the training split.

    Parameters
    ----------
    data : pandas.DataFrame
    mappings : mapping of str to mapping of str to int
        For each variable, the number of each label.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If a label has no number: impute, replace unseen labels and group rare
        labels first.
    """
    data = data.copy()
    for var, mapping in mappings.items():
        data[var] = data[var].map(mapping).astype("int64")
    return data


def group_rare_labels(
    data: pd.DataFrame,
    frequent_labels: Mapping[str, Sequence[str]],
    rare_label: str = "Rare",
) -> pd.DataFrame:
    """Replace the labels that were rare in the training split with one label.

    Parameters
    ----------
    data : pandas.DataFrame
    frequent_labels : mapping of str to sequence of str
        For each variable, the labels found in at least 1 % of the training rows.
    rare_label : str, default="Rare"

    Returns
    -------
    pandas.DataFrame
    """
    data = data.copy()
    for var, labels in frequent_labels.items():
        data[var] = data[var].where(data[var].isin(labels), rare_label)
    return data


def select_features(data: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """Keep the model's features, in the order the model was fitted on.

    Parameters
    ----------
    data : pandas.DataFrame
    features : sequence of str

    Returns
    -------
    pandas.DataFrame
    """
    return data[list(features)].copy()
