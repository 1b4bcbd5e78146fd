"""Load the Kaggle data; save and load the trained pipeline safely.

The pipeline is saved with skops, not pickle: loading a pickle runs whatever code the
file names, so a tampered model file could run anything. ``skops.io.load`` only builds
the types it is told to trust (:data:`TRUSTED_TYPES`: the package's own transformers
and the feature-engine ones it uses; scikit-learn's and numpy's skops trusts itself)
and refuses a file holding any other. A metadata file beside the model records its
SHA-256, checked before loading, so a changed file is refused before skops reads it.

Beside them lies the scoring plan (:mod:`regression_model.plan`): the pipeline's
learned parameters as JSON, with its SHA-256 in the same metadata. Serving reads only
the plan, so skops is imported inside the functions that save or load a pipeline,
never when this module is imported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED

import pandas as pd
from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
from feature_engine.imputation import CategoricalImputer, MeanMedianImputer
from feature_engine.selection import DropFeatures
from feature_engine.transformation import LogTransformer
from feature_engine.wrappers import SklearnTransformerWrapper
from sklearn.compose import TransformedTargetRegressor

from regression_model import __version__
from regression_model.config import data_dir, load_config, trained_models_dir
from regression_model.plan import ScoringPlan, plan_to_json
from regression_model.processing import features


class ModelIntegrityError(RuntimeError):
    """The model file does not match its metadata or holds untrusted types."""


TRUSTED_TYPES = [
    f"{cls.__module__}.{cls.__qualname__}"
    for cls in (
        # the package's own transformers
        features.FeatureSelector,
        features.Mapper,
        features.NumericCodedCategoricalTransformer,
        features.TemporalVariableTransformer,
        features.UnseenLabelsToMissing,
        # the feature-engine transformers of the pipeline
        CategoricalImputer,
        DropFeatures,
        LogTransformer,
        MeanMedianImputer,
        OrdinalEncoder,
        RareLabelEncoder,
        SklearnTransformerWrapper,
    )
]


def load_dataset(file_name: str, directory: Path | None = None) -> pd.DataFrame:
    """Read one of the Kaggle CSV files.

    Parameters
    ----------
    file_name : str
        ``train.csv`` or ``test.csv``.
    directory : Path, optional
        The folder holding it; :func:`regression_model.config.data_dir` by default.

    Returns
    -------
    pandas.DataFrame
        The file, as read by ``pandas.read_csv``.

    Raises
    ------
    FileNotFoundError
        If the file is absent (with how to get it).
    """
    path = (directory or data_dir()) / file_name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: run `make data`, or set $REGRESSION_MODEL_DATA_DIR "
            "to the folder holding the Kaggle files"
        )
    return pd.read_csv(path)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hexadecimal digits."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pipeline_path(directory: Path | None = None) -> Path:
    """Where this version's trained pipeline lives: ``<prefix><version>.skops``."""
    file_name = f"{load_config().app.pipeline_save_file}{__version__}.skops"
    return (directory or trained_models_dir()) / file_name


def metadata_path(model_path: Path) -> Path:
    """The metadata file beside a model file: same name, ``.json``."""
    return model_path.with_suffix(".json")


def plan_path(model_path: Path) -> Path:
    """The scoring plan beside a model file: same name, ``.plan.json``."""
    return model_path.with_suffix(".plan.json")


def remove_old_pipelines(directory: Path, keep: Path) -> None:
    """Delete saved pipelines (and their metadata and plans) other than ``keep``.

    Only files named like the package's pipelines are touched.
    """
    prefix = load_config().app.pipeline_save_file
    kept = {keep.name, metadata_path(keep).name, plan_path(keep).name}
    for path in directory.glob(f"{prefix}*"):
        if path.suffix in {".skops", ".json"} and path.name not in kept:
            path.unlink()


def save_pipeline(
    pipeline: TransformedTargetRegressor,
    metadata: dict[str, Any],
    directory: Path | None = None,
    plan: dict[str, Any] | None = None,
) -> Path:
    """Save the trained pipeline, its scoring plan and metadata; delete older versions.

    Parameters
    ----------
    pipeline : TransformedTargetRegressor
        The fitted model.
    metadata : dict
        What to record beside it (data hash, metrics, library versions); the model
        file's name and SHA-256 are added here.
    directory : Path, optional
        The trained-models folder; :func:`regression_model.config.trained_models_dir`
        by default.
    plan : dict, optional
        The pipeline's scoring plan (:func:`regression_model.plan.compile_plan`),
        saved as JSON beside it, its file name and SHA-256 added to the metadata.

    Returns
    -------
    Path
        The model file.
    """
    import skops.io as sio

    path = pipeline_path(directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(pipeline, path, compression=ZIP_DEFLATED)
    full_metadata = {
        key: value
        for key, value in metadata.items()
        if key not in {"plan_file", "plan_sha256"}
    }
    full_metadata |= {"model_file": path.name, "model_sha256": file_sha256(path)}
    if plan is not None:
        plan_file = plan_path(path)
        plan_file.write_text(plan_to_json(plan))
        full_metadata |= {
            "plan_file": plan_file.name,
            "plan_sha256": file_sha256(plan_file),
        }
    metadata_path(path).write_text(json.dumps(full_metadata, indent=2) + "\n")
    remove_old_pipelines(path.parent, keep=path)
    return path


def load_metadata(directory: Path | None = None) -> dict[str, Any]:
    """Read the metadata of this version's trained pipeline.

    Raises
    ------
    FileNotFoundError
        If there is none (with how to train).
    """
    path = metadata_path(pipeline_path(directory))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: train first with "
            "`python -m regression_model.train_pipeline`"
        )
    metadata: dict[str, Any] = json.loads(path.read_text())
    return metadata


def load_pipeline(directory: Path | None = None) -> TransformedTargetRegressor:
    """Load this version's trained pipeline, refusing a changed or unsafe file.

    Parameters
    ----------
    directory : Path, optional
        The trained-models folder; :func:`regression_model.config.trained_models_dir`
        by default.

    Returns
    -------
    TransformedTargetRegressor
        The fitted model.

    Raises
    ------
    FileNotFoundError
        If the model or its metadata is absent.
    ModelIntegrityError
        If the file's SHA-256 differs from the one recorded at training, or the file
        holds a type outside :data:`TRUSTED_TYPES` (nothing from it is run).
    """
    path = pipeline_path(directory)
    metadata = load_metadata(directory)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: train first")
    actual = file_sha256(path)
    if actual != metadata["model_sha256"]:
        raise ModelIntegrityError(
            f"{path} has SHA-256 {actual}, but {metadata_path(path).name} recorded "
            f"{metadata['model_sha256']}: refusing a model file changed after training"
        )
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        pipeline: TransformedTargetRegressor = sio.load(path, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as error:
        raise ModelIntegrityError(f"{path} refused: {error}") from error
    return pipeline


def load_plan(directory: Path | None = None) -> ScoringPlan:
    """Load this version's scoring plan, refusing a changed file.

    Reads JSON only: no skops, no pickle, nothing in the file can run.

    Parameters
    ----------
    directory : Path, optional
        The trained-models folder; :func:`regression_model.config.trained_models_dir`
        by default.

    Raises
    ------
    FileNotFoundError
        If the metadata or the plan is absent (a model trained before plans existed
        has none: train again).
    ModelIntegrityError
        If the plan's SHA-256 differs from the one recorded at training.
    """
    model_path = pipeline_path(directory)
    metadata = load_metadata(directory)
    path = plan_path(model_path)
    if "plan_sha256" not in metadata or not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: train again with "
            "`python -m regression_model.train_pipeline` to compile the scoring plan"
        )
    content = path.read_bytes()  # hash and parse the same bytes
    actual = hashlib.sha256(content).hexdigest()
    if actual != metadata["plan_sha256"]:
        raise ModelIntegrityError(
            f"{path} has SHA-256 {actual}, but {metadata_path(model_path).name} "
            f"recorded {metadata['plan_sha256']}: refusing a plan changed after "
            "training"
        )
    return ScoringPlan.from_json(content)
