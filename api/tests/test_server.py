"""``python -m app.server``: the command line and the options it gives uvicorn."""

from __future__ import annotations

import pytest
from app import server
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
