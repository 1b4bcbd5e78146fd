"""``python -m app.server``: the command line, uvicorn's options, the drain."""

from __future__ import annotations

import asyncio
import signal

import pytest
import uvicorn
from app import server
from app.core import lifecycle
from app.core.config import Settings


def test_one_worker_by_default_whatever_web_concurrency_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a platform that sets WEB_CONCURRENCY (Heroku's Python buildpack does)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")

    # When the server's options are made from a command line without --workers
    options = server.options(server.parse_args([]), Settings())

    # Then uvicorn is told one worker explicitly (it reads WEB_CONCURRENCY otherwise)
    assert options["workers"] == 1


def test_options_carry_the_protocol_and_the_settings_limits() -> None:
    # Given settings with a 3 s keep-alive and a 7 s shutdown grace
    settings = Settings(keep_alive_seconds=3, shutdown_grace_seconds=7)

    # When the options are made
    options = server.options(
        server.parse_args(["--host", "0.0.0.0", "--port", "9000"]), settings
    )

    # Then they name the guarded protocol and the limits, where to listen
    assert options == {
        "host": "0.0.0.0",
        "port": 9000,
        "workers": 1,
        "http": "app.core.connections:GuardedHttpToolsProtocol",
        "timeout_keep_alive": 3,
        "timeout_graceful_shutdown": 7,
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "--workers must be at least 1, got 0"),
        (["--port", "70000"], "--port must be between 0 and 65535, got 70000"),
        (["--workers", "two"], "invalid int value: 'two'"),
    ],
)
def test_bad_arguments_stop_with_exit_2_and_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a bad command line
    # When it is parsed
    with pytest.raises(SystemExit) as stopped:
        server.parse_args(argv)

    # Then argparse's exit 2, with the problem named on the last line
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(message)


def draining_server(drain_seconds: float = 5.0) -> server.DrainingServer:
    """A DrainingServer that has started serving (no socket: only its signals)."""
    running = server.DrainingServer(uvicorn.Config(server.APP), drain_seconds)
    running.started = True
    return running


@pytest.fixture
def not_draining(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's replica flag, restored after the test."""
    monkeypatch.setattr(lifecycle.replica, "draining", False)


@pytest.mark.usefixtures("not_draining")
def test_first_sigterm_turns_the_replica_unready_and_keeps_serving() -> None:
    # Given a started server with a 5 s drain
    running = draining_server()

    # When it gets SIGTERM
    running.handle_exit(signal.SIGTERM, None)

    # Then the replica is draining (ready answers 503) and the server goes on
    assert lifecycle.replica.draining
    assert not running.should_exit


@pytest.mark.usefixtures("not_draining")
def test_the_shutdown_starts_when_the_drain_has_run_out() -> None:
    # Given a server whose drain began and has run out
    running = draining_server()
    running.handle_exit(signal.SIGTERM, None)
    running.drain_ends = 0.0  # a deadline in the past

    # When its main loop ticks
    should_exit = asyncio.run(running.on_tick(1))

    # Then uvicorn's graceful shutdown starts
    assert should_exit and running.should_exit


@pytest.mark.usefixtures("not_draining")
@pytest.mark.parametrize("second", [signal.SIGTERM, signal.SIGINT])
def test_a_second_signal_during_the_drain_shuts_down_at_once(second: int) -> None:
    # Given a draining server
    running = draining_server()
    running.handle_exit(signal.SIGTERM, None)

    # When it gets a second SIGTERM, or Ctrl-C
    running.handle_exit(second, None)

    # Then the shutdown starts now, and no deadline is left to fire again
    assert running.should_exit
    assert running.drain_ends is None


@pytest.mark.usefixtures("not_draining")
@pytest.mark.parametrize(
    ("sig", "drain_seconds", "started"),
    [
        (signal.SIGINT, 5.0, True),  # Ctrl-C: no drain
        (signal.SIGTERM, 0.0, True),  # drain_seconds=0: no drain
        (signal.SIGTERM, 5.0, False),  # still starting: nothing to drain
    ],
)
def test_no_drain_for_ctrl_c_a_zero_drain_or_a_server_not_started(
    sig: int, drain_seconds: float, started: bool
) -> None:
    # Given a server
    running = draining_server(drain_seconds)
    running.started = started

    # When it gets the signal
    running.handle_exit(sig, None)

    # Then it shuts down at once, without turning unready first
    assert running.should_exit
    assert not lifecycle.replica.draining


def test_each_worker_of_several_serves_with_a_draining_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a 2.5 s drain in the environment
    monkeypatch.setenv("HOUSE_PRICES_API_DRAIN_SECONDS", "2.5")

    # When a worker process of --workers N is made (not started)
    worker = server.DrainingProcess(uvicorn.Config(server.APP, workers=2), [])
    try:
        served_by = worker.server
    finally:
        worker.parent_conn.close()
        worker.child_conn.close()

    # Then it serves with a DrainingServer and the environment's drain
    assert isinstance(served_by, server.DrainingServer)
    assert served_by.drain_seconds == 2.5
