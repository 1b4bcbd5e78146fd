"""PostgreSQL stops under the API's feet, and comes back.

The API logs into the test's PostgreSQL while eight clients send requests. The
server is stopped as an operator stops it (``pg_ctl stop -m fast``: connections
cut), the clients go on, and the server is started again. What must hold:

- the API answers every request ``200`` throughout: a request never waits for,
  nor fails because of, its log;
- the rows it could not log are counted (``/metrics``:
  ``house_prices_prediction_log_lost_rows_total``, and a line of its output),
  never dropped silently: every request answered is either in the log, exactly as
  answered, or its rows are in that count;
- once the database is back, logging resumes by itself: the requests sent then
  are in the tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.prediction_log.postgres import PostgresServer
from tests.prediction_log.traffic import (
    ApiServer,
    Load,
    mismatches,
    read_log,
    send_load,
    wait_for,
)

# Bounds of the phases, in requests (each phase also stops after 20 s).
BEFORE, DURING, RESUMED = 40, 80, 40
PROBE, MOST_PROBES, PROBE_WAIT_S = 8, 15, 3.0


def test_the_api_answers_counts_the_lost_rows_and_resumes_when_postgresql_stops(
    package_trained_dir: Path,
    postgres: PostgresServer,
    postgres_url: str,
    test_records: list[dict[str, Any]],
    plan_sha256: str,
    tmp_path: Path,
) -> None:
    # Given the API logging into PostgreSQL, and requests logged while it runs
    server = ApiServer(package_trained_dir, tmp_path, prediction_log_url=postgres_url)
    sent = iter(range(0, 10_000, 100))  # request numbers: 100 per load

    def load(requests: int) -> Load:
        return send_load(server, test_records, requests=requests, first=next(sent))

    def logged_all(of: Load) -> bool:
        return {answer.request_id for answer in of.answered} <= set(
            read_log(postgres_url)
        )

    try:
        before = load(BEFORE)
        wait_for(lambda: logged_all(before), "the first requests logged")

        # When PostgreSQL is stopped while the clients go on
        postgres.stop()
        try:
            during = load(DURING)
            wait_for(lambda: server.lost_rows() > 0, "rows counted lost")
            lost_while_down = server.lost_rows()
        finally:
            # and started again
            postgres.start()

        # (new requests until one is logged: the writer reconnects by itself; each
        # probe gets a few seconds, as the writer gathers rows for a moment and
        # re-runs the migrations on its first batch after an error)
        probes: list[Load] = []
        while True:
            assert len(probes) < MOST_PROBES, "logging did not resume"
            probes.append(load(PROBE))
            if settled(lambda: logged_all(probes[-1]), PROBE_WAIT_S):
                break
        lost_when_back = server.lost_rows()
        resumed = load(RESUMED)
        wait_for(lambda: logged_all(resumed), "the requests after the restart")
        lost_in_all = server.lost_rows()
    finally:
        server.stop()

    # Then every request was answered 200, before, during and after
    loads = [before, during, *probes, resumed]
    assert [failure for each in loads for failure in each.failures] == []
    assert len(during.answered) > 0
    # the requests sent while it was down were counted lost,
    logged = read_log(postgres_url)
    answered = [answer for each in loads for answer in each.answered]
    missing = [answer for answer in answered if answer.request_id not in logged]
    assert lost_while_down > 0
    # each answered request is logged as answered or counted, row by row,
    in_log = Load([answer for answer in answered if answer.request_id in logged])
    assert mismatches(in_log, logged, plan_sha256) == []
    assert lost_in_all == sum(len(answer.rows) for answer in missing)
    # and said so in its output (a line per interval, the last with the total),
    reports = server.lines("rows not logged")
    assert reports and reports[-1].endswith(f"; {lost_in_all:.0f} in all")
    # and once it was back, every request was logged and nothing more was lost
    assert logged_all(before) and logged_all(resumed)
    assert lost_in_all == lost_when_back


def settled(condition: Callable[[], bool], seconds: float) -> bool:
    """Whether ``condition`` holds within ``seconds`` (polled every 0.2 s)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    return True
