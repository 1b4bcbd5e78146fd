"""Model files: corrupt ones refused by name, saves that fail or race lose nothing,
and a re-hashed forgery refused once the release pins the model's SHA-256."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from app.core.config import Settings
from app.main import create_app
from fastapi.testclient import TestClient
from pydantic import ValidationError
from regression_model.predict import load_model, make_prediction
from regression_model.processing import data_manager as dm
from regression_model.processing.data_manager import ModelIntegrityError
from regression_model.serving.compile import plan_to_json

ROOT = Path(__file__).resolve().parents[2]


def files_of(folder: Path) -> dict[str, Path]:
    model = dm.pipeline_path(folder)
    return {
        "model": model,
        "plan": dm.plan_path(model),
        "metadata": dm.metadata_path(model),
    }


def refused(folder: Path, engine: str, names: Path) -> str:
    """The one-line message with which ``load_model`` refuses the folder."""
    with pytest.raises(ModelIntegrityError) as caught:
        load_model(folder, engine=engine)  # type: ignore[arg-type]
    message = str(caught.value)
    assert str(names) in message and "\n" not in message
    return message


CORRUPTIONS = {
    # name: (file, engine, how the bytes are spoilt, re-hash in the metadata?)
    "metadata-truncated": ("metadata", "plan", lambda b: b[: len(b) // 2], False),
    "metadata-not-utf8": ("metadata", "plan", lambda b: b"\xff\xfe" + b, False),
    "metadata-a-list": ("metadata", "plan", lambda b: b"[]", False),
    "metadata-without-names": (
        "metadata",
        "plan",
        lambda b: json.dumps(
            {k: v for k, v in json.loads(b).items() if k != "plan_file"}
        ).encode(),
        False,
    ),
    "plan-truncated": ("plan", "plan", lambda b: b[: len(b) // 2], False),
    "plan-truncated-rehashed": ("plan", "plan", lambda b: b[: len(b) // 2], True),
    "plan-wrong-shape-rehashed": ("plan", "plan", lambda b: b'{"steps": 1}', True),
    "plan-not-utf8-rehashed": ("plan", "plan", lambda b: b"\xff" + b, True),
    "model-truncated": ("model", "pipeline", lambda b: b[: len(b) // 2], False),
    "model-truncated-rehashed": ("model", "pipeline", lambda b: b[: len(b) // 2], True),
    "model-garbage-rehashed": ("model", "pipeline", lambda b: b"PK\x03\x04" * 64, True),
}


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_corrupt_file_refused_with_one_line_naming_it(package_copy, rehash, case):
    # Given a copy of the trained folder with one file spoilt (and perhaps re-hashed)
    kind, engine, spoil, rehashed = CORRUPTIONS[case]
    path = files_of(package_copy)[kind]
    spoilt = spoil(path.read_bytes())
    if rehashed:
        rehash(package_copy, kind, spoilt)
    else:
        path.write_bytes(spoilt)
    # When / Then: loading it is refused with one line naming the file
    refused(package_copy, engine, path)


def test_rehashed_forgery_refused_only_when_the_hash_is_pinned(
    package_copy, rehash, real_data_dir
):
    # Given the released plan's hash, then the plan forged with every coefficient
    # zeroed and its new hash written into the metadata
    released = dm.file_sha256(files_of(package_copy)["plan"])
    plan = json.loads(files_of(package_copy)["plan"].read_text())
    linear = next(step for step in plan["steps"] if step["op"] == "linear")
    linear["coef"] = [0.0] * len(linear["coef"])
    rehash(package_copy, "plan", json.dumps(plan).encode())
    rows = pd.read_csv(real_data_dir / "test.csv").head(5)
    # When it is loaded without the pin, then with it
    forged = load_model(package_copy)
    with pytest.raises(ModelIntegrityError) as caught:
        load_model(package_copy, expected_sha256=released)
    # Then the metadata alone cannot tell: every house gets the same price...
    assert len(set(make_prediction(rows, model=forged)["predictions"])) == 1
    # ...but the pin refuses it, naming the file and both hashes
    message = str(caught.value)
    assert str(files_of(package_copy)["plan"]) in message
    assert (
        released in message
        and dm.file_sha256(files_of(package_copy)["plan"]) in message
    )


def test_pinned_hash_of_the_released_model_loads_it(package_copy):
    # Given the plan's and the pipeline's own hashes
    files = files_of(package_copy)
    # When each is loaded with its hash pinned (upper case, as some tools print it)
    plan = load_model(
        package_copy, expected_sha256=dm.file_sha256(files["plan"]).upper()
    )
    pipeline = load_model(
        package_copy, engine="pipeline", expected_sha256=dm.file_sha256(files["model"])
    )
    # Then both load
    assert plan is not None and pipeline is not None


def test_pinned_pipeline_refused_with_the_plans_hash(package_copy):
    # Given the plan's hash pinned where the pipeline is loaded
    pin = dm.file_sha256(files_of(package_copy)["plan"])
    # When / Then: the pipeline file is refused (each pin names one file)
    with pytest.raises(ModelIntegrityError, match="pinned"):
        load_model(package_copy, engine="pipeline", expected_sha256=pin)


def test_api_refuses_to_start_with_a_model_not_pinned(package_copy, rehash):
    # Given the released hash pinned in the settings, and the plan forged since
    released = dm.file_sha256(files_of(package_copy)["plan"])
    plan = json.loads(files_of(package_copy)["plan"].read_text())
    next(s for s in plan["steps"] if s["op"] == "linear")["intercept"] = 0.0
    rehash(package_copy, "plan", json.dumps(plan).encode())
    settings = Settings(trained_dir=package_copy, expected_model_sha256=released)
    # When the app starts / Then start-up stops, naming the file and both hashes
    with pytest.raises(ModelIntegrityError, match=released) as caught:
        with TestClient(create_app(settings)):
            pass
    assert str(files_of(package_copy)["plan"]) in str(caught.value)


def test_api_starts_with_the_pinned_model_from_the_environment(
    package_copy, monkeypatch
):
    # Given the pin in the environment, as a release's image sets it
    pin = dm.file_sha256(files_of(package_copy)["plan"])
    monkeypatch.setenv("HOUSE_PRICES_API_EXPECTED_MODEL_SHA256", pin)
    monkeypatch.setenv("HOUSE_PRICES_API_TRAINED_DIR", str(package_copy))
    # When the app starts / Then it serves
    with TestClient(create_app()) as client:
        assert client.get("/api/v1/health").status_code == 200


def test_pin_that_is_not_a_sha256_is_a_settings_error():
    with pytest.raises(ValidationError, match="expected_model_sha256"):
        Settings(expected_model_sha256="latest")


SAVE_UNDER_A_FULL_DISK = """
import json, resource, signal, sys
from pathlib import Path
from zipfile import ZIP_DEFLATED
import skops.io as sio
from regression_model.serving.compile import plan_to_json
from regression_model.serving.plan import load_plan
from regression_model.processing import data_manager as dm

folder = Path(sys.argv[1])
model = dm.pipeline_path(folder)
files = [model, dm.plan_path(model), dm.metadata_path(model)]
pipeline, metadata = dm.load_pipeline(folder), dm.load_metadata(folder)
plan = json.loads(files[1].read_text())
plan["package_version"] += "-resaved"  # so that a new plan differs from the old
# limits under the size of each file the save writes: it fails on each in turn
new_sizes = [
    len(sio.dumps(pipeline, compression=ZIP_DEFLATED)),
    len(plan_to_json(plan).encode()),
    files[2].stat().st_size,  # the new metadata: the same keys, the same lengths
]
# (midway between two sizes: a skops file's size varies by a few bytes per dump)
sizes = sorted(new_sizes)
limits = [sizes[0] // 2] + [(a + b) // 2 for a, b in zip(sizes, sizes[1:])] + [None]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
_, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
outcomes = []
for limit in limits:
    before = [path.read_bytes() for path in files]
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit or hard, hard))
    try:
        dm.save_pipeline(pipeline, metadata, folder, plan_json=plan_to_json(plan))
        outcome = "saved"
    except OSError as error:
        outcome = f"failed ({error.strerror})"
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    load_plan(folder), dm.load_pipeline(folder)  # whatever happened, it loads
    unchanged = [path.read_bytes() for path in files] == before
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    outcomes.append({"limit": limit, "outcome": outcome, "unchanged": unchanged,
                     "leftovers": leftovers})
print(json.dumps(outcomes))
"""


def test_save_on_a_full_disk_leaves_the_previous_model_loadable(package_copy):
    # Given a subprocess that saves the model again under file size limits under
    # the size of each file it writes (model, plan, metadata), then none
    # When it saves under each limit (and loads the folder after each save)
    result = subprocess.run(
        [sys.executable, "-c", SAVE_UNDER_A_FULL_DISK, str(package_copy)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout)
    print("\nsaves under a full disk:", *outcomes, sep="\n  ")
    # Then every limited save failed and left every byte as it was, the unlimited
    # one wrote a new set, every state loaded, and no temporary file was left
    limited, unlimited = outcomes[:-1], outcomes[-1]
    assert len(limited) >= 2
    assert all(o["outcome"].startswith("failed") and o["unchanged"] for o in limited)
    assert unlimited["outcome"] == "saved" and not unlimited["unchanged"]
    assert not any(o["leftovers"] for o in outcomes)
    load_model(package_copy)


def test_concurrent_saves_and_loads_never_tear(package_copy, real_data_dir):
    # Given two plans that price differently (A: trained, B: intercept + 1), and a
    # writer thread saving B, A, B, ... while a reader loads in a loop
    pipeline, metadata = dm.load_pipeline(package_copy), dm.load_metadata(package_copy)
    plan_a = json.loads(files_of(package_copy)["plan"].read_text())
    plan_b = json.loads(json.dumps(plan_a))
    next(s for s in plan_b["steps"] if s["op"] == "linear")["intercept"] += 1.0
    row = pd.read_csv(real_data_dir / "test.csv").head(1)
    price = {
        "A": make_prediction(row, model=load_model(package_copy))["predictions"][0]
    }
    saves, done = 30, threading.Event()

    def write() -> None:
        try:
            for i in range(saves):
                dm.save_pipeline(
                    pipeline,
                    metadata,
                    package_copy,
                    plan_json=plan_to_json((plan_b, plan_a)[i % 2]),
                )
        finally:
            done.set()

    writer = threading.Thread(target=write)
    outcomes = {"A": 0, "B": 0, "refused": 0}
    deadline = time.monotonic() + 30
    # When the reader loads until the writer is done (bounded in time)
    writer.start()
    while not done.is_set() and time.monotonic() < deadline:
        try:
            model = load_model(package_copy)
        except ModelIntegrityError as error:
            assert "SHA-256" in str(error)
            outcomes["refused"] += 1
            continue
        got = make_prediction(row, model=model)["predictions"][0]
        if got == pytest.approx(price["A"], rel=1e-12):
            outcomes["A"] += 1
        else:
            assert got == pytest.approx(price["A"] * 2.718281828459045, rel=1e-9)
            outcomes["B"] += 1
    writer.join(timeout=30)
    print(f"\nconcurrent save/load: {saves} saves, loads: {outcomes}")
    # Then every load was a complete set (A or B) or a clear refusal, the writer
    # finished, and no temporary file is left
    assert done.is_set()
    assert outcomes["A"] + outcomes["B"] > 0
    assert not [p.name for p in package_copy.iterdir() if p.name.startswith(".")]
