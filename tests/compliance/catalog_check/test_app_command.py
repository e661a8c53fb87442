"""`python app.py catalog-check` reaches the check with cdk.json's configuration and refuses what it does not take."""

from __future__ import annotations

import json

import pytest

from app import main


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "catalog-check", "--bogus"]) == 2
    assert capsys.readouterr().err == (
        "Usage: app.py catalog-check: unknown option '--bogus'; allowed: --json --propose\n"
    )


def test_other_commands_still_take_their_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "scp", "--json"]) == 2
    assert capsys.readouterr().err.endswith("unknown option '--json'; allowed: --rcp\n")


def test_without_credentials_the_command_fails_its_rows_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "CDK_CONTEXT_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["app.py", "catalog-check", "--json"]) == 1
    captured = capsys.readouterr()
    # cdk.json configures us-east-1 only.
    assert captured.err.splitlines()[-1] == (
        "Cannot read bedrock:ListInferenceProfiles in us-east-1: NoCredentialsError: Unable to locate credentials"
    )
    document = json.loads(captured.out)
    assert [(row["status"], row["region"], row["check"]) for row in document["rows"]] == [("FAIL", "us-east-1", "read")]
    assert "Traceback" not in captured.out + captured.err
