"""Without usable AWS credentials every live command says so in one line, with what to set, and exits 3: not 1, the
code of drift, so a missing login is never read as a finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import main
from compliance.aws import CREDENTIALS_HELP
from compliance.command import CANNOT_RUN, FINDINGS
from tests.support.synth import Synth

NO_CREDENTIALS = f"No AWS credentials found: {CREDENTIALS_HELP}\n"


def live_commands(assembly: Path, output: Path) -> list[list[str]]:
    return [
        ["audit"],
        ["audit", "--json"],
        ["audit", "--organization", "-c", "organization_targets=r-ab12"],
        ["catalog-check"],
        ["report", "--deployed", "--assembly", str(assembly), "--output", str(output)],
        ["credentials"],
    ]


def test_each_live_command_without_credentials_is_one_line_and_its_own_exit_code(
    no_credentials: None, default_synth: Synth, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert CANNOT_RUN != FINDINGS
    for command in live_commands(default_synth.outdir, tmp_path):
        assert main(["app.py", *command]) == CANNOT_RUN, command
        captured = capsys.readouterr()
        # The report of the templates is still written before the deployed part is refused.
        assert captured.err.splitlines()[-1] + "\n" == NO_CREDENTIALS, command
        assert "drift" not in captured.out and "FAIL" not in captured.out, command


def test_the_line_says_what_to_set() -> None:
    assert "AWS_PROFILE" in CREDENTIALS_HELP and "aws sso login" in CREDENTIALS_HELP
    assert "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in CREDENTIALS_HELP
    assert len(NO_CREDENTIALS) <= 200


def test_credentials_that_cannot_be_used_say_why(
    no_credentials: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An IAM Identity Center profile whose login has no cached token (never logged in, or expired)."""
    config = tmp_path / "config"
    config.write_text(
        "[profile team]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n"
        "region = us-east-1\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = us-east-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "team")
    monkeypatch.setenv("HOME", str(tmp_path))  # no SSO token cache
    assert main(["app.py", "credentials"]) == CANNOT_RUN
    line = capsys.readouterr().err
    assert line.startswith("Cannot use the AWS credentials: ") and line.endswith(f"; {CREDENTIALS_HELP}\n")
    assert len(line.splitlines()) == 1


def test_credentials_found_are_named_by_their_source(
    no_credentials: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert main(["app.py", "credentials"]) == 0
    assert capsys.readouterr().out == "AWS credentials: env (botocore's credential method)\n"
