"""`make wheelhouse`: the released model from the index alone, the rest locked."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.release import wheelhouse as wheelhouse_script
from scripts.release.common import StepFailed
from tests.release.conftest import VERSION


def test_wheelhouse_holds_the_released_model_apart_from_its_dependencies(
    wheelhouse: Path,
) -> None:
    # Given the wheelhouse `make wheelhouse` made from the local index (fixture)
    # When its two folders are listed
    model = sorted(p.name for p in (wheelhouse / "model").iterdir())
    deps = sorted(p.name for p in (wheelhouse / "deps").iterdir())

    # Then model/ holds this version's wheel alone, and deps/ everything but it
    assert model == [f"regression_model-{VERSION}-py3-none-any.whl"]
    assert deps and all(name.endswith(".whl") for name in deps)
    assert not [name for name in deps if name.startswith("regression_model")]


def test_wheelhouse_refuses_a_pin_that_is_not_the_package_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given api/requirements.txt pinning another version than VERSION
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("regression-model==99.0.0\nfastapi\n")
    monkeypatch.setattr(wheelhouse_script, "API_REQUIREMENTS", requirements)
    out = tmp_path / "wheelhouse"

    # When the wheelhouse is made
    with pytest.raises(StepFailed) as failure:
        wheelhouse_script.build_wheelhouse(out, "http://127.0.0.1:9/simple/")

    # Then it stops at the pin, before downloading anything
    assert failure.value.step == "pin"
    assert "pins regression-model==99.0.0, but" in str(failure.value)
    assert not out.exists()


def test_model_download_reads_no_pip_setting_that_could_add_an_index(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given pip settings that name an extra index
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "https://pypi.org/simple/")
    monkeypatch.setenv("PIP_CONFIG_FILE", "/etc/pip.conf")

    # When the environment for the model's download is made
    env = wheelhouse_script.index_only_environment()

    # Then no PIP_* variable is left but the one that disables configuration files
    assert {k: v for k, v in env.items() if k.startswith("PIP_")} == {
        "PIP_CONFIG_FILE": "/dev/null"
    }
