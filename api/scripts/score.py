"""Price a CSV through the API: python api/scripts/score.py [--input CSV] [--output CSV]

The API stage's counterpart of the other stages' scoring scripts, used by
``make run``: it sends the rows (default ``data/test.csv``) to ``POST /api/v1/predict``
in batches and writes ``Id,SalePrice`` (default ``api/outputs/predictions.csv``).
Without ``--url`` the service runs in this process (FastAPI's TestClient, with the
startup that loads the model); with ``--url http://127.0.0.1:8001`` it calls a
running server (`make serve`).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

API_DIR = Path(__file__).resolve().parents[1]
ROOT = API_DIR.parent
BATCH_ROWS = 500  # below the service's default maximum of 1000 rows


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Read the CSV as JSON-ready rows: missing cells become ``null``."""
    frame = pd.read_csv(path)
    return json.loads(frame.to_json(orient="records"))


def post_in_batches(client: httpx.Client, rows: list[dict[str, Any]]) -> list[Any]:
    prices: list[Any] = []
    for start in range(0, len(rows), BATCH_ROWS):
        response = client.post(
            "/api/v1/predict", json={"inputs": rows[start : start + BATCH_ROWS]}
        )
        if response.status_code != 200:
            raise RuntimeError(
                f"the API answered {response.status_code}: {response.text}"
            )
        body = response.json()
        for error in body["errors"]:
            print(f"error: row {start + error['row']}: {error}", file=sys.stderr)
        prices += body["predictions"]
    return prices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=ROOT / "data" / "test.csv")
    parser.add_argument(
        "--output", type=Path, default=API_DIR / "outputs" / "predictions.csv"
    )
    parser.add_argument("--url", help="a running server (default: run it in process)")
    args = parser.parse_args(argv)

    rows = read_rows(args.input)
    try:
        if args.url:
            with httpx.Client(base_url=args.url, timeout=60) as client:
                prices = post_in_batches(client, rows)
        else:
            with warnings.catch_warnings():  # Starlette's notice about httpx2
                warnings.filterwarnings("ignore", message="Using `httpx` with")
                from fastapi.testclient import TestClient
            from app.main import create_app

            with TestClient(create_app()) as client:
                prices = post_in_batches(client, rows)
    except (httpx.HTTPError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    ids = [row["Id"] for row in rows]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"Id": ids, "SalePrice": prices}).to_csv(args.output, index=False)
    print(f"priced {sum(p is not None for p in prices)} of {len(rows)} rows")
    print(f"saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
