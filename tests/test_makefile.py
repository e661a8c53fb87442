"""The documented commands run as written: every make target is in `make help`, passes ARGS on or refuses it, and
the targets that reach AWS check credentials before the CDK CLI runs.

Recipes are read with `make -n` (print, do not run), with the install stamps marked as up to date (`-o`), so nothing
is installed or executed.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.support.project import ROOT

MAKEFILE = (ROOT / "Makefile").read_text()
PHONY = re.search(r"^\.PHONY: (.*?)(?<!\\)\n", MAKEFILE, re.MULTILINE | re.DOTALL)
TARGETS = [t for t in (PHONY.group(1).replace("\\\n", " ").split() if PHONY else []) if t != "everything"]
STAMPS = (".venv/.synth", ".venv/.aws", ".venv/.installed", ".venv-checkov/.installed", "node_modules/.installed")
# The targets whose recipe is the project's development tooling: they take no configuration.
NO_ARGS = ("setup", "lint", "typecheck", "test", "docs", "clean")
CDK_TARGETS = ("bootstrap", "deploy", "diff", "destroy", "deploy-organization", "diff-organization")
ARGS = "-c regions=eu-west-1 -c env=example"


def dry_run(target: str, args: str = ARGS) -> list[str]:
    """The commands `make TARGET ARGS=...` would run, prerequisites taken as made."""
    marks = [flag for stamp in (*STAMPS, "everything") for flag in ("-o", stamp)]
    result = subprocess.run(
        ["make", "-n", "-s", target, f"ARGS={args}", *marks], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_help_lists_every_target() -> None:
    result = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    listed = set(re.findall(r"make ([a-z-]+)", result.stdout))
    assert len(TARGETS) >= 25
    assert [target for target in TARGETS if target not in listed] == [], result.stdout


@pytest.mark.parametrize("target", [t for t in TARGETS if t not in (*NO_ARGS, "help", "test")])
def test_every_other_target_passes_args_on(target: str) -> None:
    commands = dry_run(target)
    assert any(ARGS in command for command in commands), commands


@pytest.mark.parametrize("target", NO_ARGS)
def test_a_development_target_refuses_args_in_one_line(target: str) -> None:
    made = [stamp for stamp in (*STAMPS, "everything", "lint", "typecheck", "unit") if stamp != target]
    marks = [flag for stamp in made for flag in ("-o", stamp)]
    result = subprocess.run(
        ["make", "-s", target, "ARGS=-c x=y", *marks], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"make {target} takes no ARGS (given: -c x=y); configuration goes to synth, the cdk targets and the app.py "
        "commands"
    )


@pytest.mark.parametrize("target", CDK_TARGETS)
def test_the_targets_that_reach_aws_check_credentials_before_the_cdk_cli(target: str) -> None:
    commands = dry_run(target)
    assert commands[0].endswith("/.venv/bin/python app.py credentials"), commands
    assert commands[1].startswith("cdk ") and commands[1].endswith(ARGS)
    # With the CDK CLI's own --profile, the CLI finds the credentials itself.
    assert dry_run(target, "--profile audit")[0] == "true"


def test_diff_uses_only_options_the_pinned_cli_knows() -> None:
    (command,) = [line for line in dry_run("diff") if line.startswith("cdk ")]
    help_text = subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "cdk"), "diff", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    options = [word for word in command.split() if word.startswith("--")]
    assert [option for option in options if f"  {option} " not in help_text] == []
    assert "  --all " not in help_text  # the reason `make diff` names no stack: the pinned diff has no --all


def test_synth_hands_args_to_the_cli_and_the_report_reads_them_from_the_assembly() -> None:
    commands = dry_run("synth")
    start = commands.index("rm -rf cdk.out")
    assert commands[start : start + 3] == [
        "rm -rf cdk.out",
        f"cdk synth --quiet {ARGS}",
        f"{ROOT}/.venv/bin/python app.py report",
    ]


def test_make_synth_installs_only_what_synthesis_needs() -> None:
    """Synthesis and the report install requirements.txt (and npm's tools, at the same time); test and scan tools
    come with `make test`."""
    recipe = MAKEFILE[MAKEFILE.index("\nsynth:\n") + 1 :].splitlines()[1]
    assert recipe == "\t@$(MAKE) --no-print-directory -j2 $(VENV)/.synth node_modules/.installed"
    assert re.search(r"^\$\(VENV\)/\.synth: requirements\.txt$", MAKEFILE, re.MULTILINE)
    pinned = re.findall(r"^([a-z0-9-]+)==", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert pinned == ["aws-cdk-lib", "constructs", "cdk-nag"]
