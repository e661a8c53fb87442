"""`python app.py catalog-check` reaches the check with cdk.json's configuration and refuses what it does not take."""

from __future__ import annotations

import pytest

from app import main
from compliance.aws import CREDENTIALS_HELP


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "catalog-check", "--bogus"]) == 2
    assert capsys.readouterr().err == (
        "Usage: app.py catalog-check: unknown option '--bogus'; allowed: --json --propose -c KEY=VALUE\n"
    )


def test_other_commands_still_take_their_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "scp", "--json"]) == 2
    assert capsys.readouterr().err.endswith("unknown option '--json'; allowed: --rcp -c KEY=VALUE\n")


def test_without_credentials_the_command_says_what_to_set_once_and_reads_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "CDK_CONTEXT_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["app.py", "catalog-check", "--json"]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"No AWS credentials found: {CREDENTIALS_HELP}\n"
