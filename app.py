#!/usr/bin/env python3
"""CDK app entry point, and the only reader of context.

cdk synth                 synthesize every stack with every rule pack
python app.py scp         print the Service Control Policy for the configured scope
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# jsii runs on the supported Node.js that `npm ci` installs, even when this file is run directly.
_NODE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "node"
if _NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_NODE))

import aws_cdk as cdk  # noqa: E402

from stacks.compliance import add_rule_packs  # noqa: E402
from stacks.config import AppConfig, ConfigError, deprecation_warnings, load_config  # noqa: E402
from stacks.deployment import build_stacks  # noqa: E402
from stacks.invocation_access.permissions import scp_statements  # noqa: E402


def read_config(app: cdk.App) -> AppConfig:
    return load_config(app.node.get_all_context())


def synth(app: cdk.App, config: AppConfig) -> int:
    build_stacks(app, config)
    add_rule_packs(app)
    try:
        app.synth()
    except RuntimeError as error:
        first_line = str(error).splitlines()[0]
        print(f"Synthesis failed on unacknowledged rule-pack findings: {first_line}", file=sys.stderr)
        return 1
    return 0


def print_scp(config: AppConfig) -> int:
    policy = {"Version": "2012-10-17", "Statement": scp_statements(config.endpoint_scope, config.regions)}
    print(json.dumps(policy, indent=2))
    return 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "synth"
    if command not in ("synth", "scp", "audit"):
        print(f"Usage: {argv[0]} [synth|scp|audit]; unknown command {command!r}", file=sys.stderr)
        return 2
    # Under the CDK CLI the context arrives through the environment; run directly, read cdk.json.
    cdk_json = Path(__file__).resolve().parent / "cdk.json"
    defaults = json.loads(cdk_json.read_text())["context"] if command != "synth" else None
    app = cdk.App(context=defaults)
    try:
        config = read_config(app)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    for warning in deprecation_warnings(config):
        print(f"Warning: {warning}", file=sys.stderr)
    if command == "audit":
        from compliance.audit import main as audit  # boto3 only: synthesis never needs AWS credentials

        return audit(config)
    return print_scp(config) if command == "scp" else synth(app, config)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
