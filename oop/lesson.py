"""The lesson of this stage: what a transformer is, first by hand, then with sklearn.

Run it: ``python -m oop.lesson``.

1. **By hand.** A transformer is an object with two methods: ``fit`` learns
   parameters from training data and keeps them on the object; ``transform``
   applies them to any data. A mixin adds ``fit_transform`` (``fit``, then
   ``transform``) to every class that inherits it. :class:`TransformerMixin` and
   :class:`MeanImputer` below are all it takes.
2. **With scikit-learn.** ``sklearn.base.BaseEstimator`` adds ``get_params`` and
   ``set_params``, read from the ``__init__`` signature. That is why ``__init__``
   only stores its arguments under their own names: scikit-learn can then
   ``clone`` an estimator (same parameters, nothing learned), search its
   parameters, and chain it in a ``Pipeline``, which calls ``fit_transform`` on
   each step and ``transform`` at prediction time. ``sklearn.base.TransformerMixin``
   adds ``fit_transform`` and ``set_output``. The production transformers in
   :mod:`oop.transformers` follow that contract; :func:`demo` shows the
   difference.
3. **In the model.** :func:`walk_the_model` fits the model's feature steps
   (:func:`oop.pipeline.build_pipeline`, without the Lasso) on ``data/train.csv``
   and passes five houses of ``data/test.csv`` through them one step at a time.
   For each step it prints the columns the step changed, each value before the
   step beside its value after, so you see what was imputed, mapped and encoded.

Every table shows a few rows and only the columns that matter (pandas'
``DataFrame.to_string``).
"""

from typing import Self

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from oop import settings
from oop.pipeline import build_pipeline
from oop.transformers import MeanImputer as SklearnMeanImputer

# Five houses of test.csv: the first three, and two with a missing number
# (BsmtFullBath, GarageCars) for the mean imputer to fill.
HOUSES = [1461, 1462, 1463, 2121, 2577]
MAX_COLUMNS = 3
"""At most this many changed columns are shown per step, to keep tables narrow."""


class TransformerMixin:
    """A hand-written mixin: ``fit_transform`` for every class that has both steps.

    scikit-learn's ``TransformerMixin`` does the same, and more (``set_output``).
    """

    def fit(self, X: pd.DataFrame, y: object = None) -> Self:
        """Learn parameters from ``X``: each child class says how."""
        raise NotImplementedError

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Apply the learned parameters to ``X``: each child class says how."""
        raise NotImplementedError

    def fit_transform(self, X: pd.DataFrame, y: object = None) -> pd.DataFrame:
        """Learn the parameters from ``X``, then apply them to ``X``."""
        return self.fit(X, y).transform(X)


class MeanImputer(TransformerMixin):
    """Replace missing values with the mean each variable had in ``fit``.

    Parameters
    ----------
    variables : list of str
        The numerical columns to impute.

    Attributes
    ----------
    imputer_dict_ : dict of str to float
        The mean of each variable, learned in ``fit``. The trailing underscore
        marks what was learned, as in scikit-learn.
    """

    def __init__(self, variables: list[str]) -> None:
        self.variables = variables

    def fit(self, X: pd.DataFrame, y: object = None) -> Self:
        """Learn the mean of each variable."""
        self.imputer_dict_ = {v: float(X[v].mean()) for v in self.variables}
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of ``X`` with missing values replaced by the learned means."""
        X = X.copy()  # the caller's frame stays as it was
        for variable, mean in self.imputer_dict_.items():
            X[variable] = X[variable].fillna(mean)
        return X


def before_and_after(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One table: each column of ``after``, its value before the step beside it."""
    return pd.DataFrame(
        {
            (column, when): frame[column]
            for column in after.columns
            for when, frame in (("before", before), ("after", after))
        }
    )


def show(label: str, before: pd.DataFrame, after: pd.DataFrame) -> None:
    """Print a step's label, then its input and output side by side, indented."""
    text = before_and_after(before, after).to_string(float_format="{:.4g}".format)
    print(label)
    print("\n".join("    " + line for line in text.splitlines()))


def changed_columns(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    """The columns of ``after`` whose values or type differ from ``before``'s.

    The columns with the most changed rows come first (a change of type only
    counts as none), so the table shows the step at its most visible.
    """
    changed = [
        column
        for column in after.columns
        if column in before.columns and not before[column].equals(after[column])
    ]
    rows_changed = {
        column: int((before[column].astype(str) != after[column].astype(str)).sum())
        for column in changed
    }
    return sorted(changed, key=lambda column: -rows_changed[column])


def demo() -> None:
    """Print what the hand-written and the scikit-learn transformers can do."""
    train = pd.DataFrame({"LotFrontage": [60.0, None, 80.0]})
    new = pd.DataFrame({"LotFrontage": [None, 65.0]})

    print("1. By hand")
    imputer = MeanImputer(variables=["LotFrontage"])
    show("fit_transform on the training data:", train, imputer.fit_transform(train))
    print("learned:", imputer.imputer_dict_)
    show("transform on new data:", new, imputer.transform(new))
    try:
        clone(imputer)
    except TypeError as error:
        print("clone fails without BaseEstimator:", str(error).split("): ")[-1])

    print("\n2. With scikit-learn's BaseEstimator and TransformerMixin")
    sklearn_imputer = SklearnMeanImputer(variables=["LotFrontage"])
    print("get_params:", sklearn_imputer.get_params())
    print("a clone, unfitted:", clone(sklearn_imputer.fit(train)))
    pipeline = Pipeline([("imputer", sklearn_imputer)]).set_output(transform="pandas")
    show("in a Pipeline, on new data:", new, pipeline.fit(train).transform(new))
    print("output columns:", list(pipeline.get_feature_names_out()))


def feature_steps(train: pd.DataFrame) -> Pipeline:
    """The model's steps before the Lasso, fitted on ``train`` and its log prices.

    The same steps as :func:`oop.pipeline.build_pipeline`, fitted on all of
    ``train`` (the saved model learns on the research split only, so its
    learned values differ a little).
    """
    model = build_pipeline()
    steps = Pipeline(model.regressor.steps[:-1]).set_output(transform="pandas")
    X = train.drop(columns=[settings.ID_VARIABLE, settings.TARGET])
    return steps.fit(X, np.log(train[settings.TARGET]))


def walk_the_model(steps: Pipeline, houses: pd.DataFrame) -> None:
    """Pass ``houses`` (indexed by Id) through ``steps``, printing each change."""
    print(f"\n3. In the model: {len(houses)} houses of test.csv, step by step")
    X = houses
    for name, step in steps.steps:
        after = step.transform(X)
        label = f"{name} ({type(step).__name__})"
        if list(after.columns) != list(X.columns):
            label += f": {X.shape[1]} columns in, {after.shape[1]} out"
        changed = changed_columns(X, after)
        columns = changed[:MAX_COLUMNS]
        if len(changed) > len(columns):
            label += f": {len(columns)} of its {len(changed)} changed columns"
        retyped = [c for c in columns if X[c].dtype != after[c].dtype]
        if retyped:
            label += f"; now of type {after[retyped[0]].dtype}: {', '.join(retyped)}"
        if columns:
            show(label, X[columns], after[columns])
        else:
            print(f"{label}: no value of these houses changes")
        X = after


def main() -> None:
    """Run the three parts; the third needs the Kaggle files (``make data``)."""
    demo()
    if not (settings.TRAIN_CSV.is_file() and settings.TEST_CSV.is_file()):
        print(
            f"\n3. In the model: skipped, run `make data` first ({settings.TRAIN_CSV})"
        )
        return
    test = pd.read_csv(settings.TEST_CSV).set_index(settings.ID_VARIABLE)
    walk_the_model(feature_steps(pd.read_csv(settings.TRAIN_CSV)), test.loc[HOUSES])


if __name__ == "__main__":
    main()
