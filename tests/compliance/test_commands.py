"""Every command of `python app.py` through the registry: help, usage errors, configuration errors and exit codes,
the same for all of them; and the page that documents them (docs/platform/commands.md) lists what the registry holds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from app import COMMANDS, main
from compliance.command import FINDINGS, OK, USAGE, Command, Option, Options, Settings
from tests.support.project import ROOT

NAMES = list(COMMANDS)
COMMANDS_PAGE = (ROOT / "docs" / "platform" / "commands.md").read_text()


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """What a refused command printed: nothing on standard output, one line on standard error."""
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured
    return captured.err


def test_the_registry_holds_every_command_run_outside_synthesis() -> None:
    assert NAMES == ["scp", "archive-policy", "audit", "catalog-check", "report"]


def test_help_lists_every_command_of_the_registry_and_exits_zero() -> None:
    result = subprocess.run(
        [sys.executable, "app.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    listed = re.findall(r"^  (\S+)", result.stdout, re.MULTILINE)
    assert listed == ["synth", *NAMES]
    for command in COMMANDS.values():
        assert f"  {command.name} " in result.stdout and command.help in result.stdout
    assert "Exit codes: 0 ok, 1 findings or drift (or AWS could not be read), 2 usage or configuration error." in (
        result.stdout
    )


@pytest.mark.parametrize("name", NAMES)
def test_each_commands_help_lists_its_options_and_exits_zero(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", name, "--help"]) == OK
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: app.py {name}")
    assert COMMANDS[name].help in out
    assert [line.split()[0] for line in out.splitlines() if line.startswith("  -")] == [
        option.name for option in COMMANDS[name].options
    ]


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_option_is_one_usage_line_naming_the_allowed_ones(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["app.py", name, "--bogus"]) == USAGE
    allowed = " ".join(o.name + (f" {o.value}" if o.value else "") for o in COMMANDS[name].options) or "none"
    assert error_line(capsys) == f"Usage: app.py {name}: unknown option '--bogus'; allowed: {allowed}\n"


def test_an_unknown_command_is_one_usage_line_naming_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "deploy"]) == USAGE
    assert capsys.readouterr().err == (
        "Usage: app.py [synth|scp|archive-policy|audit|catalog-check|report]; unknown command 'deploy'\n"
    )
    assert main(["app.py", "synth", "--json"]) == USAGE
    assert capsys.readouterr().err == "Usage: app.py synth: unknown option '--json'; allowed: none\n"


def test_an_option_that_takes_a_value_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["app.py", "report", "--output"]) == USAGE
    assert capsys.readouterr().err == "Usage: app.py report: option '--output' takes a value: --output DIR\n"
    assert main(["app.py", "audit", "--json=yes"]) == USAGE
    assert capsys.readouterr().err == "Usage: app.py audit: option '--json' takes no value\n"


@pytest.mark.parametrize("name", NAMES)
def test_a_bad_configuration_is_the_one_line_synthesis_prints(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command reads the configuration the same way (cdk.json, CDK_CONTEXT_JSON over it) and refuses it the
    same way, before reaching AWS or the assembly."""
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps({"log_retention_days": 7}))
    assert main(["app.py", name]) == USAGE
    assert error_line(capsys).startswith(
        "Configuration error: log_retention_days: 7 is not valid; allowed: an integer "
    )


def test_settings_given_over_cdk_json_reach_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def statement_ids() -> list[str]:
        assert main(["app.py", "scp"]) == OK
        printed = json.loads(capsys.readouterr().out)  # a list when the statements need several policies
        return [
            s["Sid"] for policy in (printed if isinstance(printed, list) else [printed]) for s in policy["Statement"]
        ]

    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert "DenyBedrockRoutingOutsideEu" not in statement_ids()
    monkeypatch.setenv("CDK_CONTEXT_JSON", json.dumps({"regions": ["eu-west-1"], "endpoint_scope": "eu"}))
    assert "DenyBedrockRoutingOutsideEu" in statement_ids()


def test_scp_prints_a_policy_and_archive_policy_names_the_missing_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert main(["app.py", "scp"]) == OK
    printed = json.loads(capsys.readouterr().out)
    assert {policy["Version"] for policy in (printed if isinstance(printed, list) else [printed])} == {"2012-10-17"}
    assert main(["app.py", "archive-policy"]) == USAGE
    assert error_line(capsys).startswith("Configuration error: organization_archive_bucket_arn: unset; ")


def test_the_organization_audit_without_targets_names_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CDK_CONTEXT_JSON", raising=False)
    assert main(["app.py", "audit", "--organization"]) == USAGE
    assert error_line(capsys).startswith("Configuration error: organization_targets: unset; ")


def test_the_commands_that_print_policies_import_no_aws_sdk() -> None:
    """boto3 and botocore load only when a command reads an account: not for the policies, not for synthesis."""
    code = (
        "import sys, app; code = app.main(['app.py', 'scp']); "
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_options_take_values_with_a_space_or_an_equals_sign_and_fall_back_to_their_defaults() -> None:
    def run(settings: Settings, options: Options) -> int:
        return OK

    command = Command(
        "example",
        "an example",
        run,
        (Option("--out", "where", value="DIR", default="reports"), Option("--json", "as JSON")),
    )
    assert command.parse([]) == Options(frozenset(), {"--out": "reports"})
    assert command.parse(["--out", "a", "--json"]) == Options(frozenset({"--json"}), {"--out": "a"})
    assert command.parse(["--out=b"]) == Options(frozenset(), {"--out": "b"})
    assert command.parse(["-h"]) == Options(frozenset({"--help"}), {"--out": "reports"})
    assert command.parse(["--out", "--json"]) == "option '--out' takes a value: --out DIR"


def test_the_commands_page_lists_each_command_with_its_options() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `([a-z-]+)` \|([^|]*)\|", COMMANDS_PAGE, re.MULTILINE)
    }
    assert list(rows) == NAMES
    for name, options in rows.items():
        assert re.findall(r"`(--[a-z]+)", options) == [option.name for option in COMMANDS[name].options], name


def test_the_commands_page_states_the_exit_codes_the_code_returns() -> None:
    codes = dict(re.findall(r"^\| ([0-9]) \| (.+) \|$", COMMANDS_PAGE, re.MULTILINE))
    assert sorted(codes) == ["0", "1", "2"]
    assert "found nothing wrong" in codes[str(OK)]
    assert "drift" in codes[str(FINDINGS)] and "cannot start" in codes[str(FINDINGS)]
    assert "configuration error" in codes[str(USAGE)] and "unknown command or option" in codes[str(USAGE)]
