#!/usr/bin/env python3
"""CDK app entry point, the only reader of context, and the registry of the commands run outside synthesis.

cdk synth                         synthesize every stack with every rule pack
python app.py --help              the commands (`COMMANDS`) and what their exit codes mean (compliance/command.py)
python app.py <command> [options] scp, archive-policy, audit [--organization], catalog-check [--propose], report
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only synthesis loads jsii and Node.js
    from aws_cdk import App

# jsii runs on the supported Node.js that `npm ci` installs, even when this file is run directly.
_NODE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "node"
if _NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_NODE))

from compliance.command import FINDINGS, HELP, OK, USAGE, Command, Option, Options, Settings, registry, table  # noqa: E402
from compliance.policies import run_archive_policy, run_scp  # noqa: E402
from core.config import AppConfig, ConfigError, deprecation_warnings, load_config  # noqa: E402
from core.data_retention.fit import retention_warnings  # noqa: E402
from core.deployment import plan_deployment  # noqa: E402

CDK_JSON = Path(__file__).resolve().parent / "cdk.json"
SYNTH = "synth"
SYNTH_HELP = "synthesize every stack with every rule pack (`cdk synth` runs it)"
JSON = Option("--json", "one JSON document instead of the table, for pipelines")


def synth() -> int:
    import aws_cdk as cdk  # only synthesis needs jsii and Node.js

    # Under the CDK CLI, the context (cdk.json and -c key=value) arrives through the environment.
    return synthesize(cdk.App())


def synthesize(app: App) -> int:
    """Build every stack of the configuration in `app` and synthesize it with every rule pack; 0, or the exit code
    after printing the one line that says what is wrong."""
    from aws_cdk import Aws

    from stacks.deployment import MemberBaselineRefused, build_stacks
    from stacks.organization.stack_set import TemplateTooLarge
    from stacks.shared.nag import add_rule_packs, is_rule_pack_failure

    config = read_config(app.node.get_all_context())
    if config is None:
        return 2
    try:
        # Environment-agnostic stacks name their account by a token; the member baseline always does.
        plan = plan_deployment(config, config.account or Aws.ACCOUNT_ID, member_account=Aws.ACCOUNT_ID)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    try:
        build_stacks(app, config, plan)
        add_rule_packs(app)
        app.synth()
    except TemplateTooLarge as error:
        print(f"Configuration error: organization_member_access: {error}", file=sys.stderr)
        return 2
    except ConfigError as error:  # the organization's policies do not fit (core.organization.policies)
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    except (RuntimeError, MemberBaselineRefused) as error:
        if not (isinstance(error, MemberBaselineRefused) or is_rule_pack_failure(error)):
            raise  # any other failure is not a finding: its own message and traceback say what happened
        first_line = str(error).splitlines()[0]
        print(f"Synthesis failed on unacknowledged rule-pack findings: {first_line}", file=sys.stderr)
        return 1
    return 0


def read_config(context: dict[str, object]) -> AppConfig | None:
    """The validated configuration, or None after printing the one line that says what to fix."""
    try:
        config = load_config(context)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return None
    for warning in [*deprecation_warnings(config.models), *retention_warnings(config)]:
        print(f"Warning: {warning}", file=sys.stderr)
    return config


def effective_context() -> tuple[dict[str, object], tuple[str, ...]]:
    """The context every command reads outside the CDK CLI, and its sources in the order they apply: cdk.json's
    `context`, with CDK_CONTEXT_JSON over it as cdk.App reads it."""
    context: dict[str, object] = json.loads(CDK_JSON.read_text())["context"]
    sources = [CDK_JSON.name]
    if given := os.environ.get("CDK_CONTEXT_JSON"):
        context.update(json.loads(given))
        sources.append("CDK_CONTEXT_JSON")
    return context, tuple(sources)


def read_settings() -> Settings | None:
    """The effective context and the configuration validated from it, or None after the one line to fix."""
    context, sources = effective_context()
    config = read_config(context)
    return None if config is None else Settings(config, context, sources)


# Each command's module is imported when it runs: synthesis and the commands that print policies never load boto3.
def audit(settings: Settings, options: Options) -> int:
    if "--organization" in options:
        from compliance.audit.organization.command import run as audit_organization

        return audit_organization(settings, options)
    from compliance.audit.run import run as audit_account

    return audit_account(settings, options)


def catalog_check(settings: Settings, options: Options) -> int:
    from compliance.catalog_check.command import run as check_catalog

    return check_catalog(settings, options)


def report(settings: Settings, options: Options) -> int:
    from compliance.report.command import run as write_report

    return write_report(settings, options)


COMMANDS = registry(
    Command(
        "scp",
        "print the Service Control Policies (the configured scope and the logging guarantee), as the organization "
        "stack attaches them with organization_targets",
        run_scp,
        (Option("--rcp", "the Resource Control Policies instead (organization_rcps attaches them)"),),
    ),
    Command(
        "archive-policy",
        "print the statements the central archive's bucket and key policies need (organization_archive_*)",
        run_archive_policy,
    ),
    Command(
        "audit",
        "read-only audit of the deployed account against the configuration (AWS credentials)",
        audit,
        (Option("--organization", "the same audit in every account under organization_targets, every Region"), JSON),
    ),
    Command(
        "catalog-check",
        "read-only check of the model catalog against the account, per Region and model (AWS credentials)",
        catalog_check,
        (
            JSON,
            Option(
                "--propose",
                "print, as Python for core/catalog, the entries of the Claude models the account shows "
                "the catalog lacks or describes differently",
            ),
        ),
    ),
    Command(
        "report",
        "write the compliance report of the synthesized templates (`make synth` runs it)",
        report,
        (
            Option("--assembly", "the synthesized cloud assembly", value="DIR", default="cdk.out"),
            Option("--output", "where to write compliance-report.md and .html", value="DIR", default="reports"),
            Option("--deployed", "also audit the account of the credentials and write the as-deployed report"),
        ),
    ),
)


def usage(program: str) -> str:
    """`--help`: every command of the registry, where the configuration comes from, what the exit codes mean."""
    commands = table([(f"{SYNTH} (default)", SYNTH_HELP), *((c.name, c.help) for c in COMMANDS.values())])
    return (
        f"Usage: {program} [command] [options]\n{commands}\n"
        f"Every command reads cdk.json's context, with CDK_CONTEXT_JSON over it (synth: the CDK CLI's, -c included).\n"
        f"Exit codes: {OK} ok, {FINDINGS} findings or drift (or AWS could not be read), {USAGE} usage or configuration "
        f"error.\n`{program} <command> --help` lists a command's options.\n"
    )


def main(argv: list[str]) -> int:
    program, name, args = argv[0], argv[1] if len(argv) > 1 else SYNTH, argv[2:]
    if name in HELP or (name == SYNTH and args[:1] in (["-h"], ["--help"])):
        print(usage(program), end="")
        return OK
    if name == SYNTH and args:
        print(f"Usage: {program} {SYNTH}: unknown option {args[0]!r}; allowed: none", file=sys.stderr)
        return USAGE
    if name == SYNTH:
        return synth()
    command = COMMANDS.get(name)
    if command is None:
        print(f"Usage: {program} [{'|'.join((SYNTH, *COMMANDS))}]; unknown command {name!r}", file=sys.stderr)
        return USAGE
    options = command.parse(args)
    if isinstance(options, str):
        print(f"Usage: {program} {name}: {options}", file=sys.stderr)
        return USAGE
    if "--help" in options:
        print(command.usage(program), end="")
        return OK
    settings = read_settings()
    return USAGE if settings is None else command.run(settings, options)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
