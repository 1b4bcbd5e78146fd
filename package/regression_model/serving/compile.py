"""Compile a fitted pipeline into a scoring plan: its learned parameters as JSON.

A fitted pipeline is mostly machinery for *learning* (pandas frames checked and copied
at every step); to *score* a house it only needs what it learned: the imputation
values, the seen and frequent labels, the ordinal codes, the scaler's ``min_`` and
``scale_``, Lasso's ``coef_`` and ``intercept_``. :func:`compile_plan` reads them
from the fitted objects (nothing here is typed by hand) into a versioned,
human-readable dict, saved beside the skops file as JSON
(:mod:`regression_model.serving.plan` scores with it).

The procedural stage hard-coded these parameters by copying them from the notebooks;
here code extracts them and the parity suite proves the plan prices like the
pipeline. Compiling needs the training libraries (imported inside the functions);
scoring does not.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from regression_model.serving.plan import PLAN_FORMAT, PLAN_VERSION


class PlanCompileError(TypeError):
    """The pipeline holds a step (or a setting) the compiler does not know."""


# ---------------------------------------------------------------------------------
# Compiling: one function per fitted step class, reading its learned attributes
# ---------------------------------------------------------------------------------


def _names(values: Any) -> list[str]:
    return [str(value) for value in values]


def _match(step: Any) -> dict[str, Any]:
    # the plan's "select" reads an absent variable as missing: MatchVariables' NaN
    fill_is_nan = isinstance(step.fill_value, float) and math.isnan(step.fill_value)
    if not fill_is_nan or step.match_dtypes or step.missing_values != "ignore":
        raise PlanCompileError(
            "only MatchVariables(missing_values='ignore'), filling with NaN, "
            "without match_dtypes"
        )
    return {"op": "select", "variables": _names(step.feature_names_in_)}


def _select(step: Any) -> dict[str, Any]:
    return {"op": "select", "variables": _names(step.variables_)}


def _numeric_coded_labels(step: Any) -> dict[str, Any]:
    return {"op": "numeric_coded_labels", "variables": _names(step.variables_)}


def _unseen_to_missing(step: Any) -> dict[str, Any]:
    return {
        "op": "unseen_to_missing",
        "seen_labels": {
            str(v): list(labels) for v, labels in step.seen_labels_.items()
        },
    }


def _impute_categorical(step: Any) -> dict[str, Any]:
    return {
        "op": "impute_categorical",
        "values": {str(v): str(value) for v, value in step.imputer_dict_.items()},
    }


def _impute_mean(step: Any) -> dict[str, Any]:
    if step.imputation_method != "mean":
        raise PlanCompileError(f"unknown imputation_method {step.imputation_method!r}")
    return {
        "op": "impute_mean",
        "values": {str(v): float(value) for v, value in step.imputer_dict_.items()},
    }


def _elapsed_years(step: Any) -> dict[str, Any]:
    return {
        "op": "elapsed_years",
        "variables": _names(step.variables_),
        "reference": str(step.reference_variable),
    }


def _drop(step: Any) -> dict[str, Any]:
    return {"op": "drop", "variables": _names(step.features_to_drop_)}


def _log(step: Any) -> dict[str, Any]:
    if step.base != "e":
        raise PlanCompileError(f"unknown log base {step.base!r}")
    return {"op": "log", "variables": _names(step.variables_)}


def _binarize(step: Any) -> dict[str, Any]:
    from sklearn.preprocessing import Binarizer

    inner = step.transformer_
    if type(inner) is not Binarizer:
        raise PlanCompileError(
            f"unknown wrapped transformer {type(inner).__qualname__}"
        )
    return {
        "op": "binarize",
        "variables": _names(step.variables_),
        "threshold": float(inner.threshold),
    }


def _map(step: Any) -> dict[str, Any]:
    return {
        "op": "map",
        "variables": _names(step.variables_),
        "mapping": {str(k): int(v) for k, v in step.mappings_.items()},
    }


def _rare_labels(step: Any) -> dict[str, Any]:
    return {
        "op": "rare_labels",
        "frequent_labels": {
            str(v): [str(label) for label in labels]
            for v, labels in step.encoder_dict_.items()
        },
        "replace_with": step.replace_with,
    }


def _ordinal(step: Any) -> dict[str, Any]:
    if step.unseen != "ignore":
        raise PlanCompileError(f"unknown unseen setting {step.unseen!r}")
    return {
        "op": "ordinal",
        "codes": {
            str(v): {str(label): int(code) for label, code in codes.items()}
            for v, codes in step.encoder_dict_.items()
        },
    }


def _scale(step: Any) -> dict[str, Any]:
    if step.clip:
        raise PlanCompileError("MinMaxScaler(clip=True) is not supported")
    return {
        "op": "scale",
        "min": [float(value) for value in step.min_],
        "scale": [float(value) for value in step.scale_],
    }


def _linear(step: Any) -> dict[str, Any]:
    coef = np.asarray(step.coef_, dtype=np.float64)
    if coef.ndim != 1:
        raise PlanCompileError(f"expected one target, got coef_ of shape {coef.shape}")
    return {
        "op": "linear",
        "coef": [float(value) for value in coef],
        "intercept": float(step.intercept_),
    }


def _compilers() -> dict[type, tuple[Callable[[Any], dict[str, Any]], tuple[str, ...]]]:
    """Each fitted step class the compiler knows: how to read it, and its step names.

    The names (glob patterns) are those :func:`regression_model.pipeline.build_pipeline`
    gives it; a known class under another name is refused too. Imported here, not at
    module level, so that scoring never imports the training libraries.
    """
    from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
    from feature_engine.imputation import CategoricalImputer, MeanMedianImputer
    from feature_engine.preprocessing import MatchVariables
    from feature_engine.selection import DropFeatures
    from feature_engine.transformation import LogTransformer
    from feature_engine.wrappers import SklearnTransformerWrapper
    from sklearn.linear_model import Lasso
    from sklearn.preprocessing import MinMaxScaler

    from regression_model.processing import features
    from regression_model.processing.selection import FeatureSelector

    return {
        MatchVariables: (_match, ("select_inputs",)),
        FeatureSelector: (_select, ("select_features",)),
        features.NumericCodedCategoricalTransformer: (
            _numeric_coded_labels,
            ("numeric_coded_categories",),
        ),
        features.UnseenLabelsToMissing: (
            _unseen_to_missing,
            ("unseen_labels_to_missing",),
        ),
        features.TemporalVariableTransformer: (_elapsed_years, ("elapsed_time",)),
        features.Mapper: (_map, ("*_mapping",)),
        CategoricalImputer: (
            _impute_categorical,
            ("missing_imputation", "frequent_imputation"),
        ),
        MeanMedianImputer: (_impute_mean, ("mean_imputation",)),
        DropFeatures: (_drop, ("drop_reference",)),
        LogTransformer: (_log, ("log",)),
        SklearnTransformerWrapper: (_binarize, ("binarizer",)),
        RareLabelEncoder: (_rare_labels, ("rare_labels",)),
        OrdinalEncoder: (_ordinal, ("ordinal_encoding",)),
        MinMaxScaler: (_scale, ("scaler",)),
        Lasso: (_linear, ("lasso",)),
    }


def compile_plan(model: Any, package_version: str | None = None) -> dict[str, Any]:
    """Read every learned parameter of a fitted model into a scoring plan.

    Parameters
    ----------
    model : TransformedTargetRegressor
        The fitted model of :func:`regression_model.pipeline.build_pipeline`:
        ``log``/``exp`` around a pipeline of known steps.
    package_version : str, optional
        Recorded in the plan; the installed package's version by default.

    Returns
    -------
    dict
        ``format``, ``plan_version``, ``package_version``, ``inputs`` (the raw
        columns the plan reads), ``steps`` (one dict per pipeline step, in order,
        each with its ``name`` and ``op``) and ``target_inverse`` (``"exp"``).

    Raises
    ------
    PlanCompileError
        If the model is not fitted or holds a step, a setting or a target transform
        the compiler does not know: never a silent skip.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    if package_version is None:
        from regression_model import __version__ as package_version
    if type(model) is not TransformedTargetRegressor:
        raise PlanCompileError(
            f"expected a TransformedTargetRegressor, got {type(model).__qualname__}"
        )
    check_is_fitted(model)
    if model.func is not np.log or model.inverse_func is not np.exp:
        raise PlanCompileError("only a log target (func=np.log, inverse=np.exp)")
    if type(model.regressor_) is not Pipeline:
        raise PlanCompileError(
            f"expected a Pipeline regressor, got {type(model.regressor_).__qualname__}"
        )
    compilers = _compilers()
    steps = []
    for name, step in model.regressor_.steps:
        if type(step) not in compilers:
            raise PlanCompileError(
                f"step {name!r} is a {type(step).__module__}."
                f"{type(step).__qualname__}, which the plan compiler does not know"
            )
        compiler, names = compilers[type(step)]
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
            raise PlanCompileError(
                f"step {name!r} is a {type(step).__qualname__}, which the plan "
                f"compiler knows only as {list(names)}"
            )
        steps.append({"name": name, **compiler(step)})
    if not steps or steps[0]["op"] != "select" or steps[-1]["op"] != "linear":
        raise PlanCompileError("the pipeline must open with a selector, end in Lasso")
    return {
        "format": PLAN_FORMAT,
        "plan_version": PLAN_VERSION,
        "package_version": package_version,
        "inputs": steps[0]["variables"],
        "steps": steps,
        "target_inverse": "exp",
    }


def plan_to_json(plan: Mapping[str, Any]) -> str:
    """The plan as JSON text (floats written so they read back as the same bits)."""
    return json.dumps(plan, indent=1, allow_nan=False) + "\n"
