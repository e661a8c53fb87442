"""The project as the tests see it: its root, cdk.json's context split into feature flags and our keys, a test day.

Plain Python (no CDK): the core tests build configurations with `config_for` without loading jsii.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from core.config import AppConfig, load_config
from core.deployment import DeploymentPlan, plan_deployment

ROOT = Path(__file__).resolve().parents[2]
CDK_JSON = json.loads((ROOT / "cdk.json").read_text())
FEATURE_FLAGS = {k: v for k, v in CDK_JSON["context"].items() if k.startswith("@")}
PROJECT_CONTEXT = {k: v for k, v in CDK_JSON["context"].items() if not k.startswith("@")}
# Tests run on a fixed day so lifecycle checks do not change results over time.
TEST_DAY = date(2026, 11, 25)
SAMPLE_ACCOUNT = "111122223333"
# A central log archive in another account and another Region of the eu geography (log_replica_*).
ARCHIVE_BUCKET_ARN = "arn:aws:s3:::example-bedrock-log-archive"
ARCHIVE_KEY_ARN = "arn:aws:kms:eu-central-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ARCHIVE_ACCOUNT = "444455556666"
# A guardrail as a platform team would configure it (tests/conftest.py TEAMS_CONTEXT applies it).
STRICT_GUARDRAIL = {
    "name": "strict",
    "content_filters": {"HATE": "HIGH", "INSULTS": "MEDIUM", "PROMPT_ATTACK": "HIGH"},
    "denied_topics": [
        {
            "name": "Investment advice",
            "definition": "Recommendations to buy, sell or hold specific securities.",
            "examples": ["Should I buy this stock?"],
        }
    ],
    "pii": {"EMAIL": "ANONYMIZE", "US_SOCIAL_SECURITY_NUMBER": "BLOCK"},
}
# Who hears alarms (alarm_*), and who may still delete log objects (log_break_glass_principal).
ALARM_EMAIL = "security@example.com"
CENTRAL_TOPIC_ARN = "arn:aws:sns:eu-west-1:777788889999:central-security-alarms"
BREAK_GLASS_ROLE = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/LogBreakGlass"
# An account whose principals call the invoker through its function URL (invoker_callers: a resource policy).
URL_CALLER_ACCOUNT = "210987654321"
# The IAM actions of PutAccountDataRetentionStorage and GetAccountDataRetentionStorage as a user would copy them:
# the operation names, as other Bedrock actions are named. No AWS page we could read confirms them, and cfn-lint's
# list of actions (from the Service Authorization Reference) does not hold them (tests/stacks/data_retention).
STORAGE_ACTIONS = {"put": "bedrock:PutAccountDataRetentionStorage", "get": "bedrock:GetAccountDataRetentionStorage"}

# The organization rollout with every option (tests/conftest.py organization_synth): two Regions, two target OUs, a
# delegated administrator, members with the invocation policy, a central archive, the audit role and both kinds of
# organization policy.
ORGANIZATION_CONTEXT = {
    "account": SAMPLE_ACCOUNT,
    "regions": ["us-east-1", "eu-west-1"],
    "organization_targets": ["ou-ab12-cd34ef56", "ou-ab12-gh78ij90"],
    "organization_id": "o-a1b2c3d4e5",
    "organization_call_as": "DELEGATED_ADMIN",
    "organization_member_access": True,
    "organization_archive_bucket_arn": ARCHIVE_BUCKET_ARN,
    "organization_archive_kms_key_arn": ARCHIVE_KEY_ARN,
    "organization_archive_account": ARCHIVE_ACCOUNT,
    "organization_audit_principal": f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/OrganizationAuditor",
    # The organization's resource control policies attached too (its service control policies are by default).
    "organization_rcps": True,
}

# What `make synth ARGS=...` hands the CDK CLI in tests/compliance/test_effective_configuration.py (tests/conftest.py
# cli_assembly): the example environment file, and one key over it.
EXAMPLE_SYNTH_ARGS = ("-c", "env=example", "-c", "regions=eu-west-1", "-c", "log_retention_days=365")


def config_for(**overrides: Any) -> AppConfig:
    """cdk.json's configuration with `overrides`, validated on the test day."""
    return load_config({**PROJECT_CONTEXT, **overrides}, today=TEST_DAY)


def plan_for(**overrides: Any) -> DeploymentPlan:
    """`config_for(**overrides)`, then its plan with the checks synthesis runs (whether the policies fit IAM's limits),
    for SAMPLE_ACCOUNT."""
    return plan_deployment(config_for(**overrides), SAMPLE_ACCOUNT)


def current_models(endpoint_scope: str, region: str | None = None) -> list[str]:
    """Aliases of every catalog model offered under `scope` (from `region`, when given), not past end of life on the
    test day and with a lifecycle an AWS page confirms (newest first); gated models included."""
    from core.catalog.claude_models import BUILTIN_MODELS

    return [
        m.alias
        for m in BUILTIN_MODELS
        if m.offered_in(endpoint_scope)
        and (region is None or region in m.sources(endpoint_scope))
        and m.lifecycle.status_on(TEST_DAY) != "end_of_life"
        and not m.lifecycle.unconfirmed
    ]


def catalog_matrix() -> list[tuple[str, str, list[str]]]:
    """Every (scope, source Region) some current model is called from, with those models: generated from the
    catalog, so a Region or model added there is covered without editing a test."""
    from core.catalog.claude_models import BUILTIN_MODELS
    from core.catalog.scopes import SCOPES

    matrix = []
    for endpoint_scope in SCOPES:
        regions = sorted({r for m in BUILTIN_MODELS for r in m.sources(endpoint_scope)})
        for region in regions:
            if models := current_models(endpoint_scope, region):
                matrix.append((endpoint_scope, region, models))
    return matrix
