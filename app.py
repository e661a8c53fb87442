#!/usr/bin/env python3
"""CDK app entry point, and the only reader of context.

cdk synth                         synthesize every stack with every rule pack
python app.py scp [--rcp]         print the Service Control Policies (the configured scope and the logging
                                  guarantee), or the Resource Control Policies, as the organization stack deploys them
python app.py audit               read-only audit of the deployed account against the configuration
python app.py audit --organization [--json]
                                  the same audit in every account under organization_targets, every Region
python app.py archive-policy      print the statements the central archive's bucket and key policies need
python app.py catalog-check [--json]
                                  read-only check of the model catalog against the account, per Region and model
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

from core.config import AppConfig, ConfigError, deprecation_warnings, load_config  # noqa: E402
from core.deployment import plan_deployment  # noqa: E402
from core.organization.policies import organization_policies  # noqa: E402
from core.organization.rollout import archive_policy_text  # noqa: E402
from core.organization.scp import policy_text  # noqa: E402

COMMANDS = ("synth", "scp", "audit", "archive-policy", "catalog-check")
AUDIT_OPTIONS = ("--organization", "--json")
# The options each command takes; the others take none.
OPTIONS = {"audit": AUDIT_OPTIONS, "catalog-check": ("--json",), "scp": ("--rcp",)}


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
    for warning in deprecation_warnings(config.models):
        print(f"Warning: {warning}", file=sys.stderr)
    return config


def print_scp(config: AppConfig, *, resource_control: bool = False) -> int:
    """One policy object, or a JSON list of policies when the statements exceed one policy's 5,120 characters: the
    documents the organization stack deploys with `organization_targets` (docs/platform/organization.md)."""
    try:
        policies = organization_policies(config)
    except ConfigError as error:  # one statement alone over the limit: too many exact deployment roles
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    chosen = policies.resource_control if resource_control else policies.service_control
    print(policy_text(chosen[0]) if len(chosen) == 1 else json.dumps(list(chosen), indent=2))
    return 0


def print_archive_policy(config: AppConfig) -> int:
    """The archive owner's bucket and key policy statements, as JSON; one line naming the missing key otherwise."""
    organization = config.organization
    if organization.archive is None:
        print(
            "Configuration error: organization_archive_bucket_arn: unset; set it to the central archive bucket's "
            "ARN, with organization_archive_kms_key_arn and organization_archive_account",
            file=sys.stderr,
        )
        return 2
    if organization.organization_id is None:
        print(
            "Configuration error: organization_id: unset; the archive's policies admit the organization's accounts by "
            "it: set it to the ID `aws organizations describe-organization` shows (o-...)",
            file=sys.stderr,
        )
        return 2
    print(archive_policy_text(organization.archive, organization_id=organization.organization_id))
    return 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "synth"
    options = argv[2:]
    if command not in COMMANDS:
        print(f"Usage: {argv[0]} [{'|'.join(COMMANDS)}]; unknown command {command!r}", file=sys.stderr)
        return 2
    unknown = [o for o in options if o not in OPTIONS.get(command, ())]
    if unknown:
        allowed = " ".join(OPTIONS.get(command, ())) or "none"
        print(f"Usage: {argv[0]} {command}: unknown option {unknown[0]!r}; allowed: {allowed}", file=sys.stderr)
        return 2
    if command == "synth":
        return synth()
    # Run directly, outside the CDK CLI: the context is cdk.json's, with CDK_CONTEXT_JSON over it as cdk.App reads it.
    context = json.loads((Path(__file__).resolve().parent / "cdk.json").read_text())["context"]
    context.update(json.loads(os.environ.get("CDK_CONTEXT_JSON") or "{}"))
    config = read_config(context)
    if config is None:
        return 2
    if command == "audit" and "--organization" in options:
        from compliance.audit.organization.command import main as audit_organization  # boto3 only

        return audit_organization(config, as_json="--json" in options)
    if command == "audit":
        from compliance.audit.run import main as audit  # boto3 only: no jsii, and synthesis never needs credentials

        return audit(config, as_json="--json" in options)
    if command == "catalog-check":
        from compliance.catalog_check.command import main as catalog_check  # boto3 only, like the audit

        return catalog_check(config, as_json="--json" in options)
    if command == "archive-policy":
        return print_archive_policy(config)
    return print_scp(config, resource_control="--rcp" in options)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
