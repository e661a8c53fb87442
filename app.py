#!/usr/bin/env python3
"""CDK app entry point, the only reader of context, and the registry of the commands run outside synthesis.

cdk synth [-c KEY=VALUE]...        synthesize every stack with every rule pack (make synth ARGS="-c ...")
python app.py --help              the commands (`COMMANDS`) and what their exit codes mean (compliance/command.py)
python app.py <command> [options] [-c KEY=VALUE]...
                                  scp, archive-policy, audit [--organization], catalog-check [--propose], credentials,
                                  report

Every command reads one configuration (`read_settings`): cdk.json's context, then config/NAME.json with
-c env=NAME, then -c, merged as the CDK CLI merges context (core/config/context.py).
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only synthesis loads jsii and Node.js
    from aws_cdk import App

# jsii runs on the supported Node.js that `npm ci` installs, even when this file is run directly.
_NODE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "node"
if _NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_NODE))

from compliance.command import (  # noqa: E402
    CANNOT_RUN,
    FINDINGS,
    HELP,
    OK,
    USAGE,
    Command,
    Option,
    Options,
    Settings,
    registry,
    table,
)
from compliance.effective_configuration import FILE_NAME as CONFIGURATION_RECORD  # noqa: E402
from compliance.effective_configuration import read_configuration, write_configuration  # noqa: E402
from compliance.policies import run_archive_policy, run_scp  # noqa: E402
from core.config import AppConfig, ConfigError, deprecation_warnings, load_config  # noqa: E402
from core.config.context import (  # noqa: E402
    EffectiveContext,
    Layer,
    command_line_layer,
    deep_merge,
    environment_name,
    merge_layers,
    split_context_arguments,
    without_cli_keys,
)
from core.config.values import ERROR_PREFIX  # noqa: E402
from core.deployment import plan_deployment  # noqa: E402
from core.retention_fit import retention_warnings  # noqa: E402

ROOT = Path(__file__).resolve().parent
CDK_JSON = ROOT / "cdk.json"
# Per-environment files: `-c env=prod` reads config/prod.json (docs/platform/configuration.md).
CONFIG_DIR = ROOT / "config"
FILE_SOURCES = ("~/.cdk.json", "cdk.context.json", CDK_JSON.name)
SYNTH = "synth"
SYNTH_HELP = "synthesize every stack with every rule pack (`cdk synth` runs it)"
JSON = Option("--json", "one JSON document instead of the table, for pipelines")


def synth() -> int:
    # Under the CDK CLI, the context (cdk.json and -c key=value) arrives through the environment. It is read here as
    # cdk.App reads it, so a configuration error is told before jsii and Node.js start (about a tenth of the time).
    settings = read_settings(cli_context())
    if settings is None:
        return USAGE
    import aws_cdk as cdk  # only synthesis needs jsii and Node.js

    return synthesize(cdk.App(), settings)


def synthesize(app: App, settings: Settings | None = None) -> int:
    """Build every stack of the configuration in `app` and synthesize it with every rule pack, then record the
    effective configuration in the assembly; 0, or the exit code after printing the one line that says what is
    wrong. `settings`: what `read_settings` made of `app`'s context, when the caller has read it already."""
    from aws_cdk import Aws

    given = app.node.get_all_context()
    settings = settings or read_settings(given)
    if settings is None:
        return USAGE
    # The stacks and the rule packs load only for a configuration that is valid: an error is told without them.
    from stacks.deployment import MemberBaselineRefused, build_stacks
    from stacks.organization.stack_set import TemplateTooLarge
    from stacks.shared.nag import add_rule_packs, is_rule_pack_failure

    for key, value in settings.context.items():  # what the environment file adds, for CDK's own keys too
        if given.get(key) != value:
            app.node.set_context(key, value)
    config = settings.config
    try:
        # Environment-agnostic stacks name their account by a token; the member baseline always does.
        plan = plan_deployment(config, config.account or Aws.ACCOUNT_ID, member_account=Aws.ACCOUNT_ID)
    except ConfigError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return USAGE
    try:
        build_stacks(app, config, plan)
        add_rule_packs(app)
        assembly = app.synth()
    except TemplateTooLarge as error:
        print(f"{ERROR_PREFIX}organization_member_access: {error}", file=sys.stderr)
        return USAGE
    except ConfigError as error:  # the organization's policies do not fit (core.organization.policies)
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return USAGE
    except (RuntimeError, MemberBaselineRefused) as error:
        if not (isinstance(error, MemberBaselineRefused) or is_rule_pack_failure(error)):
            raise  # any other failure is not a finding: its own message and traceback say what happened
        first_line = str(error).splitlines()[0]
        print(f"Synthesis failed on unacknowledged rule-pack findings: {first_line}", file=sys.stderr)
        return FINDINGS
    write_configuration(Path(assembly.directory), settings.context, settings.sources)
    return OK


def read_config(context: Mapping[str, object]) -> AppConfig | None:
    """The validated configuration, or None after printing the one line that says what to fix."""
    try:
        config = load_config(context)
    except ConfigError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return None
    for warning in [*deprecation_warnings(config.models), *retention_warnings(config)]:
        print(f"Warning: {warning}", file=sys.stderr)
    return config


def _context_in(path: Path, *, settings_file: bool) -> dict[str, object]:
    """The context a file holds ({} when absent): a settings file's `context` object, or the whole file."""
    if not path.exists():
        return {}
    values = json.loads(path.read_text())
    return dict(values.get("context") or {}) if settings_file else dict(values)


def context_files() -> list[Layer]:
    """The CDK CLI's context files, lowest first: ~/.cdk.json's context, cdk.context.json, cdk.json's context."""
    return [
        Layer("~/.cdk.json", _context_in(Path.home() / ".cdk.json", settings_file=True)),
        Layer("cdk.context.json", _context_in(ROOT / "cdk.context.json", settings_file=False)),
        Layer(CDK_JSON.name, _context_in(CDK_JSON, settings_file=True)),
    ]


def environment_file(name: str) -> Layer:
    """config/NAME.json, an object of configuration keys; ConfigError when it is missing or not an object."""
    path = CONFIG_DIR / f"{name}.json"
    source = f"{CONFIG_DIR.name}/{path.name}"
    if not path.exists():
        raise ConfigError(f"env: {name!r} names no file {source}; create it (a JSON object of keys) or drop env")
    try:
        values = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ConfigError(f"env: {source} is not JSON (line {error.lineno}: {error.msg}); fix the file") from None
    if not isinstance(values, dict):
        raise ConfigError(f"env: {source} holds {type(values).__name__}; write a JSON object of configuration keys")
    return Layer(source, values)


def effective_context(given: Mapping[str, object], command_line: Mapping[str, str]) -> EffectiveContext:
    """What every command reads: cdk.json (and the CDK CLI's other context files), then the environment file
    `-c env=NAME` names, then the command line: what the CDK CLI handed over (`given`, the files and its -c merged)
    beyond the files, and `command_line`, a command's own -c. ConfigError for a bad environment file."""
    files = context_files()
    merged_files = deep_merge(layer.values for layer in files)
    cli = {**command_line_layer(given, merged_files), **command_line}
    name = environment_name(merged_files, cli)
    return merge_layers(files, environment_file(name) if name else None, cli)


def cli_context() -> dict[str, object]:
    """The context the CDK CLI hands an app ({} when run directly), as cdk.App reads it: CDK_CONTEXT_JSON, then the
    file CONTEXT_OVERFLOW_LOCATION_ENV names (where the CLI puts what does not fit in the environment)."""
    given = os.environ.get("CDK_CONTEXT_JSON")
    overflow = os.environ.get("CONTEXT_OVERFLOW_LOCATION_ENV")
    return {**(json.loads(given) if given else {}), **(json.loads(Path(overflow).read_text()) if overflow else {})}


def read_settings(given: Mapping[str, object], command_line: Mapping[str, str] | None = None) -> Settings | None:
    """The effective context and the configuration validated from it, or None after the one line to fix."""
    try:
        context = effective_context(given, command_line or {})
    except ConfigError as error:
        print(f"{ERROR_PREFIX}{error}", file=sys.stderr)
        return None
    config = read_config(context.values)
    return None if config is None else Settings(config, without_cli_keys(context.values), context.sources)


# Each command's module is imported when it runs: synthesis and the commands that print policies never load boto3.
def audit(settings: Settings, options: Options) -> int:
    if "--organization" in options:
        from compliance.audit.organization.command import run as audit_organization

        return audit_organization(settings, options)
    from compliance.audit.run import run as audit_account

    return audit_account(settings, options)


def credentials(settings: Settings, options: Options) -> int:
    """Which credentials the commands (and the CDK CLI, which looks in the same places) would use: make deploy,
    diff, destroy and bootstrap run it first, so a missing login is one line, not CDK's generic account error."""
    from compliance.aws import credentials_of, start_session

    session = start_session(sys.stderr)
    if session is None:
        return CANNOT_RUN
    print(f"AWS credentials: {credentials_of(session)} (botocore's credential method)")
    return OK


def catalog_check(settings: Settings, options: Options) -> int:
    from compliance.catalog_check.command import run as check_catalog

    return check_catalog(settings, options)


def report(settings: Settings, options: Options) -> int:
    """The report of an assembly describes the configuration it was synthesized with (recorded in it): a command
    line that says otherwise is refused rather than fingerprinted."""
    from compliance.report.command import run as write_report

    assembly = Path(options.value("--assembly"))
    recorded = read_configuration(assembly)
    if recorded is None:
        exit_code = write_report(settings, options)
        if exit_code in (OK, FINDINGS):  # a report was written; a refusal or a missing login stays one line
            print(
                f"Warning: {assembly} holds no {CONFIGURATION_RECORD} (synthesized without app.py's synth); the "
                "cover fingerprints this command's configuration",
                file=sys.stderr,
            )
        return exit_code
    given = [source for source in settings.sources if source not in FILE_SOURCES]
    if given and dict(recorded.context) != dict(settings.context):
        print(
            f"Usage: report: {' with '.join(given)} differ from the configuration {assembly} was synthesized with "
            f"({' with '.join(recorded.sources)}); synthesize with them (make synth ARGS=...) or give none",
            file=sys.stderr,
        )
        return USAGE
    config = read_config(recorded.context)
    return USAGE if config is None else write_report(Settings(config, recorded.context, recorded.sources), options)


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
        "credentials",
        "say which AWS credentials the commands and the CDK CLI would use, or what to set (make deploy runs it)",
        credentials,
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
        "Every command reads one configuration: cdk.json's context, then config/NAME.json with -c env=NAME, then\n"
        "-c KEY=VALUE (--context), merged as the CDK CLI merges them (docs/platform/configuration.md).\n"
        f"Exit codes: {OK} ok, {FINDINGS} findings or drift (or AWS could not be read), {USAGE} usage or configuration "
        f"error, {CANNOT_RUN} no usable AWS credentials.\n`{program} <command> --help` lists a command's options.\n"
    )


def main(argv: list[str]) -> int:
    program, name = argv[0], argv[1] if len(argv) > 1 else SYNTH
    try:
        command_line, args = split_context_arguments(argv[2:])
    except ValueError as error:
        print(f"Usage: {program} {name}: {error}", file=sys.stderr)
        return USAGE
    if name in HELP or (name == SYNTH and args[:1] in (["-h"], ["--help"])):
        print(usage(program), end="")
        return OK
    if name == SYNTH and (args or command_line):
        given = args[0] if args else "-c"
        print(
            f"Usage: {program} {SYNTH}: unknown option {given!r}; the CDK CLI runs synthesis and takes -c: "
            'make synth ARGS="-c KEY=VALUE"',
            file=sys.stderr,
        )
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
    settings = read_settings(cli_context(), command_line)
    return USAGE if settings is None else command.run(settings, options)


if __name__ == "__main__":
    exit_code = main(sys.argv)
    # What the command loaded (the CDK bindings, for a synthesis) lives until the process ends: frozen, it is not
    # walked again by the garbage collector's passes at the interpreter's exit (about 0.35 s of every `cdk synth`).
    gc.freeze()
    sys.exit(exit_code)
