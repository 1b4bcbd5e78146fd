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
"""

from typing import Self

import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from oop.transformers import MeanImputer as SklearnMeanImputer


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


def demo() -> None:
    """Print what the hand-written and the scikit-learn transformers can do."""
    train = pd.DataFrame({"LotFrontage": [60.0, None, 80.0]})
    new = pd.DataFrame({"LotFrontage": [None, 65.0]})

    print("1. By hand")
    imputer = MeanImputer(variables=["LotFrontage"])
    print(imputer.fit_transform(train))
    print("learned:", imputer.imputer_dict_)
    print("applied to new data:")
    print(imputer.transform(new))
    try:
        clone(imputer)
    except TypeError as error:
        print("clone fails without BaseEstimator:", str(error).split("): ")[-1])

    print("\n2. With scikit-learn's BaseEstimator and TransformerMixin")
    sklearn_imputer = SklearnMeanImputer(variables=["LotFrontage"])
    print("get_params:", sklearn_imputer.get_params())
    print("a clone, unfitted:", clone(sklearn_imputer.fit(train)))
    pipeline = Pipeline([("imputer", sklearn_imputer)]).set_output(transform="pandas")
    print("in a Pipeline:")
    print(pipeline.fit(train).transform(new))
    print("output columns:", list(pipeline.get_feature_names_out()))


if __name__ == "__main__":
    demo()
