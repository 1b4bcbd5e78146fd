"""Get the four Kaggle House Prices files into ``data/`` and verify their SHA-256.

Where each file comes from, in this order:

1. it is already in ``data/`` (it is checked, never replaced: a corrupt file is
   reported so you can delete it yourself);
2. a copy from the folder named by ``HOUSE_PRICES_DATA_DIR``;
3. a download with the official Kaggle CLI (``kaggle competitions download``),
   when it is installed and has credentials.

Run it with ``make data`` or ``python data/fetch.py``. It needs only the
standard library, so it works before ``.venv`` exists. Every problem ends the run
with a non-zero exit code and one line naming the file and what to do.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
CHECKSUMS_FILE = DATA_DIR / "SHA256SUMS"
SOURCE_ENV_VAR = "HOUSE_PRICES_DATA_DIR"
COMPETITION = "house-prices-advanced-regression-techniques"


class DataError(Exception):
    """A file that could not be provided; the message is the one line a user sees."""


def read_checksums(path: Path) -> dict[str, str]:
    """Return ``{file name: sha256}`` from a ``sha256sum``-style file."""
    checksums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split()
            checksums[name.lstrip("*")] = digest
    return checksums


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def kaggle_available() -> bool:
    """True when the Kaggle CLI is installed and can find credentials."""
    if shutil.which("kaggle") is None:
        return False
    config_dir = Path(os.environ.get("KAGGLE_CONFIG_DIR", Path.home() / ".kaggle"))
    return (
        bool(os.environ.get("KAGGLE_USERNAME") and os.environ.get("KAGGLE_KEY"))
        or bool(os.environ.get("KAGGLE_API_TOKEN"))
        or (config_dir / "kaggle.json").is_file()
        or (config_dir / "access_token").is_file()
    )


def download_with_kaggle(name: str, target: Path) -> None:
    """Download one competition file with the Kaggle CLI into ``target``."""
    with tempfile.TemporaryDirectory() as tmp:
        command = ["kaggle", "competitions", "download", "-c", COMPETITION]
        result = subprocess.run(
            [*command, "-f", name, "-p", tmp], capture_output=True, text=True
        )
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip().splitlines()
            reason = output[-1] if output else "no output"
            raise DataError(
                f"{name}: the Kaggle download failed ({reason}); accept the "
                f"competition rules on kaggle.com or set {SOURCE_ENV_VAR}"
            )
        downloaded = Path(tmp) / name
        archive = Path(tmp) / f"{name}.zip"
        if archive.is_file():
            with zipfile.ZipFile(archive) as zipped:
                zipped.extract(name, tmp)
        shutil.move(downloaded, target)


def provide(name: str, expected: str, data_dir: Path, source_dir: Path | None) -> str:
    """Make sure ``data_dir/name`` has the expected hash; say where it came from."""
    target = data_dir / name
    if target.is_file():
        if sha256(target) != expected:
            raise DataError(
                f"{target} is corrupt (its SHA-256 is not the Kaggle file's): "
                "delete it and run `make data` again"
            )
        return "already present"

    # Copy or download to a temporary name first: a bad file never lands in data/.
    partial = data_dir / f".{name}.partial"
    try:
        if source_dir is not None:
            origin = source_dir / name
            if not origin.is_file():
                raise DataError(
                    f"{name} is missing from {SOURCE_ENV_VAR}={source_dir}: "
                    "put the Kaggle file there (see data/README.md)"
                )
            shutil.copyfile(origin, partial)
            where = f"copied from {source_dir}"
        elif kaggle_available():
            download_with_kaggle(name, partial)
            where = "downloaded with the Kaggle CLI"
        else:
            raise DataError(
                f"{name} is missing from {data_dir}: set {SOURCE_ENV_VAR} to the "
                "folder holding the Kaggle files, or install the Kaggle CLI with "
                "credentials (see data/README.md)"
            )
        if sha256(partial) != expected:
            raise DataError(
                f"{name} {where} has the wrong SHA-256: "
                "replace it with the original, unmodified Kaggle file"
            )
        partial.replace(target)
        return where
    finally:
        partial.unlink(missing_ok=True)


def fetch(
    data_dir: Path = DATA_DIR,
    source_dir: Path | None = None,
    checksums: dict[str, str] | None = None,
) -> list[str]:
    """Provide every file; return one error line per file that failed."""
    if checksums is None:
        checksums = read_checksums(CHECKSUMS_FILE)
    data_dir.mkdir(parents=True, exist_ok=True)
    errors = []
    for name, expected in checksums.items():
        try:
            where = provide(name, expected, data_dir, source_dir)
        except DataError as error:
            errors.append(str(error))
        except OSError as error:  # unreadable source, full disk, ...
            errors.append(f"{name}: {error.strerror or error} ({error.filename})")
        else:
            print(f"data: {name} ok ({where})")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=os.environ.get(SOURCE_ENV_VAR) or None,
        help=f"folder with the Kaggle files (default: ${SOURCE_ENV_VAR})",
    )
    args = parser.parse_args(argv)
    errors = fetch(args.data_dir, args.source_dir)
    for error in errors:
        print(f"data: error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
