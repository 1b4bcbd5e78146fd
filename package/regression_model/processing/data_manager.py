"""Load the Kaggle data; save and load the trained pipeline safely: files and hashes.

The pipeline is saved with skops, not pickle: loading a pickle runs whatever code the
file names. ``skops.io.load`` builds only the types it is told to trust
(:func:`trusted_types`) and refuses a file holding any other. A metadata file beside
the model records its SHA-256 (and the scoring plan's), checked before loading, so a
changed file is refused before it is read. That hash proves integrity, not origin: a
caller that knows which model it should serve (the API, pinned by its release) passes
``expected_sha256``, and a model with any other hash is refused.

Every file is written atomically (:mod:`regression_model.processing.files`); a save
renames the metadata last, and a reader that loads in the middle of one sees a hash
mismatch, reads again once, and if the files still disagree raises
:class:`ModelIntegrityError`. The plan is read as bytes (:func:`read_vouched`) and
parsed by :mod:`regression_model.serving.plan`; skops, scikit-learn and feature-engine
are imported inside the functions that save or load a pipeline, never at import.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED

from regression_model import __version__
from regression_model.config import data_dir, default_trained_dir, load_config
from regression_model.processing.files import write_temporary

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.compose import TransformedTargetRegressor

RETRY_DELAY_SECONDS = 0.05
"""How long a reader that saw a save half-done waits before it reads again."""


class ModelIntegrityError(RuntimeError):
    """A model, plan or metadata file is corrupt, changed, untrusted or not pinned.

    The message names the file and the reason, in one line.
    """


def trusted_types() -> list[str]:
    """The types skops may build when loading a pipeline, beyond its own defaults:
    the package's transformers and the feature-engine ones the pipeline uses."""
    from feature_engine.encoding import OrdinalEncoder, RareLabelEncoder
    from feature_engine.imputation import CategoricalImputer, MeanMedianImputer
    from feature_engine.preprocessing import MatchVariables
    from feature_engine.selection import DropFeatures
    from feature_engine.transformation import LogTransformer
    from feature_engine.wrappers import SklearnTransformerWrapper

    from regression_model.processing import features, selection

    return [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in (
            # the package's own transformers
            features.Mapper,
            features.NumericCodedCategoricalTransformer,
            features.TemporalVariableTransformer,
            features.UnseenLabelsToMissing,
            selection.FeatureSelector,
            # the feature-engine transformers of the pipeline
            CategoricalImputer,
            DropFeatures,
            LogTransformer,
            MatchVariables,
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
    import pandas as pd  # here: loading a model needs no pandas

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


def pipeline_path(trained_dir: Path | None = None) -> Path:
    """Where this version's trained pipeline lives: ``<prefix><version>.skops``."""
    file_name = f"{load_config().app.pipeline_save_file}{__version__}.skops"
    return (trained_dir or default_trained_dir()) / file_name


def metadata_path(model_path: Path) -> Path:
    """The metadata file beside a model file: same name, ``.json``."""
    return model_path.with_suffix(".json")


def plan_path(model_path: Path) -> Path:
    """The scoring plan beside a model file: same name, ``.plan.json``."""
    return model_path.with_suffix(".plan.json")


def remove_old_pipelines(trained_dir: Path, keep: Path) -> None:
    """Delete saved pipelines (and their metadata and plans) other than ``keep``.

    Only files named like the package's pipelines are touched.
    """
    prefix = load_config().app.pipeline_save_file
    kept = {keep.name, metadata_path(keep).name, plan_path(keep).name}
    for path in trained_dir.glob(f"{prefix}*"):
        if path.suffix in {".skops", ".json"} and path.name not in kept:
            path.unlink()


def save_pipeline(
    pipeline: TransformedTargetRegressor,
    metadata: dict[str, Any],
    trained_dir: Path | None = None,
    plan_json: str | None = None,
) -> Path:
    """Save the trained pipeline, its scoring plan and metadata; delete older versions.

    Parameters
    ----------
    pipeline : TransformedTargetRegressor
        The fitted model.
    metadata : dict
        What to record beside it (data hash, metrics, library versions); the model
        file's name and SHA-256 are added here.
    trained_dir : Path, optional
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.
    plan_json : str, optional
        The pipeline's scoring plan as JSON text
        (:func:`regression_model.serving.compile.plan_to_json`), saved beside it,
        its file name and SHA-256 added to the metadata.

    Returns
    -------
    Path
        The model file.
    """
    import skops.io as sio

    path = pipeline_path(trained_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    files = {path: sio.dumps(pipeline, compression=ZIP_DEFLATED)}
    full_metadata = {
        key: value
        for key, value in metadata.items()
        if key not in {"plan_file", "plan_sha256"}
    }
    full_metadata |= {
        "model_file": path.name,
        "model_sha256": hashlib.sha256(files[path]).hexdigest(),
    }
    if plan_json is not None:
        plan_file = plan_path(path)
        files[plan_file] = plan_json.encode()
        full_metadata |= {
            "plan_file": plan_file.name,
            "plan_sha256": hashlib.sha256(files[plan_file]).hexdigest(),
        }
    # the metadata vouches for the files above: written last
    files[metadata_path(path)] = (json.dumps(full_metadata, indent=2) + "\n").encode()
    # every temporary file first, so a full disk replaces nothing; then the renames
    staged: dict[Path, Path] = {}
    try:
        for target, content in files.items():
            staged[target] = write_temporary(target, content)
    except BaseException:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        raise
    try:
        for target, temporary in staged.items():
            os.replace(temporary, target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)  # left only if a rename failed
    remove_old_pipelines(path.parent, keep=path)
    return path


def load_metadata(trained_dir: Path | None = None) -> dict[str, Any]:
    """Read the metadata of this version's trained pipeline.

    Raises
    ------
    FileNotFoundError
        If there is none (with how to train).
    ModelIntegrityError
        If it is not a JSON object (truncated, corrupt, not UTF-8).
    """
    path = metadata_path(pipeline_path(trained_dir))
    return _parse_metadata(path, _read_metadata_bytes(path))


def _read_metadata_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: train first with "
            "`python -m regression_model.train_pipeline`"
        )
    return path.read_bytes()


def _parse_metadata(path: Path, content: bytes) -> dict[str, Any]:
    try:
        metadata = json.loads(content)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise ModelIntegrityError(
            f"{path} is not valid JSON ({error}): refusing a corrupt or truncated "
            "metadata file"
        ) from error
    if not isinstance(metadata, dict):
        raise ModelIntegrityError(f"{path} is not a JSON object: refusing it")
    return metadata


def read_vouched(
    model_path: Path, target: Path, kind: str, expected_sha256: str | None
) -> bytes:
    """The bytes of ``target`` (``kind``: "model" or "plan"), once they match the
    hash the metadata records for them (and ``expected_sha256``, if given).

    A save renames its files one after the other, metadata last: a reader between
    two renames sees the metadata of one save and the file of the next. So on a
    mismatch, wait a moment (the renames take microseconds) and read everything
    again, once; a file that still disagrees is refused.
    """
    meta_path = metadata_path(model_path)
    for attempt in (1, 2):
        metadata = _parse_metadata(meta_path, _read_metadata_bytes(meta_path))
        recorded = metadata.get(f"{kind}_sha256")
        if kind == "plan" and recorded is None:
            raise FileNotFoundError(
                f"{target} not found: train again with "
                "`python -m regression_model.train_pipeline` to compile the scoring "
                "plan"
            )
        if not isinstance(recorded, str) or metadata.get(f"{kind}_file") != (
            target.name
        ):
            raise ModelIntegrityError(
                f"{meta_path} does not vouch for {target.name} (no {kind}_file and "
                f"{kind}_sha256 naming it): refusing a malformed metadata file"
            )
        if not target.is_file():
            raise FileNotFoundError(
                f"{target} not found: train again with "
                "`python -m regression_model.train_pipeline`"
            )
        content = target.read_bytes()  # hash and parse the same bytes
        actual = hashlib.sha256(content).hexdigest()
        if actual == recorded:
            break
        if attempt == 1:
            time.sleep(RETRY_DELAY_SECONDS)  # perhaps a save in progress
            continue
        raise ModelIntegrityError(
            f"{target} has SHA-256 {actual}, but {meta_path.name} recorded "
            f"{recorded}: refusing a {kind} file changed after training"
        )
    if expected_sha256 is not None and actual != expected_sha256.strip().lower():
        raise ModelIntegrityError(
            f"{target} has SHA-256 {actual}, but the one pinned for this release is "
            f"{expected_sha256}: refusing a model that is not the released one"
        )
    return content


def load_pipeline(
    trained_dir: Path | None = None, *, expected_sha256: str | None = None
) -> TransformedTargetRegressor:
    """Load this version's trained pipeline, refusing a changed or unsafe file.

    Parameters
    ----------
    trained_dir : Path, optional
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.
    expected_sha256 : str, optional
        The SHA-256 the ``.skops`` file must have (the one pinned by a release):
        the metadata's hash proves the file is whole, this one that it is the
        model meant to be served.

    Returns
    -------
    TransformedTargetRegressor
        The fitted model.

    Raises
    ------
    FileNotFoundError
        If the model or its metadata is absent.
    ModelIntegrityError
        If the file's SHA-256 differs from the one recorded at training or from
        ``expected_sha256``, the metadata or the file is corrupt, or the file holds
        a type outside :func:`trusted_types` (nothing from it is run).
    """
    path = pipeline_path(trained_dir)
    content = read_vouched(path, path, "model", expected_sha256)
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        pipeline: TransformedTargetRegressor = sio.loads(
            content, trusted=trusted_types()
        )
    except UntrustedTypesFoundException as error:
        raise ModelIntegrityError(f"{path} refused: {error}") from error
    except Exception as error:  # BadZipFile, KeyError, ...: whatever a bad file gives
        raise ModelIntegrityError(
            f"{path} cannot be read as a skops model "
            f"({type(error).__name__}: {error}): refusing a corrupt model file"
        ) from error
    return pipeline
