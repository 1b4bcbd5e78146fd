"""``app.db.log.PredictionLog``: every row written, or counted as lost.

Each test logs into its own SQLite file in ``tmp_path``, migrated by
``app.db.migrate.upgrade`` as the app does.
"""

from __future__ import annotations

import logging
import shutil
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from app.db.log import LogEntry, PredictionLog, ShadowEntry, make_engine
from app.db.migrate import upgrade
from sqlalchemy import text

SHA = "ab" * 32
WAIT_TRIES = 400  # x 25 ms: the most a test waits for the writer thread


def entry(request_id: str, prices: list[float | None]) -> LogEntry:
    """A live request's entry: one made-up row per price."""
    return LogEntry(
        request_id=request_id,
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        model_version="1.2.3",
        plan_sha256=SHA,
        rows=[{"Id": 1461 + i, "GrLivArea": 896 + i} for i in range(len(prices))],
        prices=prices,
        errors=[],
        warnings=[],
    )


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait, a bounded number of times, for the writer to make ``condition`` true."""
    for _ in range(WAIT_TRIES):
        if condition():
            return
        time.sleep(0.025)
    raise AssertionError("the writer thread did not get there")


def sqlite(folder: Path) -> str:
    """The URL of a log file in ``folder``, created."""
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'predictions.sqlite3'}"


def table(url: str, query: str) -> list[tuple[object, ...]]:
    """The rows ``query`` finds in the log at ``url``."""
    engine = make_engine(url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return found


def test_writes_every_row_with_its_inputs_price_and_error(tmp_path: Path) -> None:
    # Given a started log and a request whose second row got no price
    url = sqlite(tmp_path)
    log = PredictionLog(url, prepare=upgrade)
    log.start()
    logged = LogEntry(
        request_id="a" * 32,
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        model_version="1.2.3",
        plan_sha256=SHA,
        rows=[{"Id": 1461, "MSZoning": "RH"}, {"Id": 1462, "Street": "\ud800"}],
        prices=[123456.78901234567, None],
        errors=[{"row": 1, "column": "SalePrice", "message": "beyond the bounds"}],
        warnings=["input has no column LotArea: imputed"],
    )

    # When it is recorded and the log stops
    accepted = log.record(logged)
    log.stop()

    # Then both rows are in the tables, exactly as given
    assert accepted and log.written == 2 and log.lost == 0
    assert table(
        url, "SELECT request_id, plan_sha256, rows FROM prediction_requests"
    ) == [("a" * 32, SHA, 2)]
    assert table(url, "SELECT row, inputs, price, error FROM predictions") == [
        (0, '{"Id": 1461, "MSZoning": "RH"}', 123456.78901234567, None),
        (1, '{"Id": 1462, "Street": "\\ud800"}', None, "beyond the bounds"),
    ]


def test_writes_the_shadow_models_prices_beside_the_live_ones(tmp_path: Path) -> None:
    # Given a started log
    url = sqlite(tmp_path)
    log = PredictionLog(url, prepare=upgrade)
    log.start()
    shadow = ShadowEntry(
        request_id="b" * 32,
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        model_version="1.2.4",
        plan_sha256="cd" * 32,
        prices=[120000.5, None],
        error=None,
        seconds=0.01,
    )

    # When a live entry and the shadow's are recorded
    log.record(entry("b" * 32, [110000.25, 130000.0]))
    log.record_shadow(shadow)
    log.stop()

    # Then each table has its rows
    assert table(url, "SELECT row, price, plan_sha256 FROM shadow_predictions") == [
        (0, 120000.5, "cd" * 32),
        (1, None, "cd" * 32),
    ]
    assert table(url, "SELECT row, price FROM predictions") == [
        (0, 110000.25),
        (1, 130000.0),
    ]


def test_stop_writes_everything_the_queue_holds(tmp_path: Path) -> None:
    # Given 50 entries queued before the writer starts
    url = sqlite(tmp_path)
    log = PredictionLog(url, prepare=upgrade, batch_rows=7)
    for i in range(50):
        log.record(entry(f"{i:032x}", [100000.0 + i, 200000.0]))

    # When the writer starts and is stopped at once
    log.start()
    log.stop()

    # Then all 100 rows are written, none lost
    assert table(url, "SELECT count(*) FROM predictions") == [(100,)]
    assert (log.written, log.lost) == (100, 0)


def test_full_queue_refuses_the_entry_and_counts_its_rows(tmp_path: Path) -> None:
    # Given a log that holds 3 rows, its writer not started, one 2-row entry queued
    counted: list[int] = []
    log = PredictionLog(sqlite(tmp_path), queue_rows=3, on_lost=counted.append)
    first = log.record(entry("c" * 32, [1.0, 2.0]))

    # When another 2-row entry comes
    second = log.record(entry("d" * 32, [3.0, 4.0]))

    # Then it is refused, and its 2 rows counted lost
    assert (first, second) == (True, False)
    assert log.lost == 2 and counted == [2]


def test_record_after_stop_is_refused_and_counted(tmp_path: Path) -> None:
    # Given a stopped log
    log = PredictionLog(sqlite(tmp_path), prepare=upgrade)
    log.start()
    log.stop()

    # When an entry comes
    accepted = log.record(entry("e" * 32, [1.0]))

    # Then it is refused and counted
    assert not accepted and log.lost == 1


def test_lost_batches_are_counted_and_logging_resumes_when_the_folder_returns(
    tmp_path: Path,
) -> None:
    # Given a log writing into a folder, which is then removed
    folder = tmp_path / "log"
    url = sqlite(folder)
    log = PredictionLog(url, prepare=upgrade)
    log.start()
    log.record(entry("1" * 32, [1.0]))
    wait_until(lambda: log.written == 1)
    shutil.rmtree(folder)

    # When a 3-row request comes, and after the folder is back, another
    log.record(entry("2" * 32, [1.0, 2.0, 3.0]))
    wait_until(lambda: log.lost == 3)
    folder.mkdir()
    log.record(entry("3" * 32, [4.0, 5.0]))
    log.stop()

    # Then the 3 rows are counted lost and the next 2 written in the new file
    assert (log.lost, log.written) == (3, 3)
    assert table(url, "SELECT request_id, row FROM predictions") == [
        ("3" * 32, 0),
        ("3" * 32, 1),
    ]


def test_unreachable_database_costs_counted_rows_and_one_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given a PostgreSQL URL to a port where nothing listens
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://nobody@127.0.0.1:{port}/house_prices?connect_timeout=2"
    log = PredictionLog(url, prepare=upgrade, report_seconds=3600)
    caplog.set_level(logging.WARNING, logger="app.db.log")

    # When the log starts and three entries come, one by one
    log.start()
    total = 0
    for i, rows in enumerate((1, 2, 3)):
        total += rows
        log.record(entry(f"{i:032x}", [1.0] * rows))
        wait_until(lambda expected=total: log.lost == expected)
    lines_before_stop = [r for r in caplog.records if "not logged" in r.message]
    log.stop()

    # Then all 6 rows are counted, in one line per interval (and one at the stop)
    assert log.lost == 6 and log.written == 0
    assert len(lines_before_stop) == 1
    assert "1 rows not logged" in lines_before_stop[0].message
    assert "5 rows not logged" in caplog.records[-1].message
