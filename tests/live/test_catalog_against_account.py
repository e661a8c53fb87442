"""The whole catalog against a real account's Bedrock, in the first configured Region. Skipped unless RUN_AWS_TESTS=1.

    RUN_AWS_TESTS=1 AWS_PROFILE=<profile> .venv/bin/pytest -m aws tests/live/test_catalog_against_account.py -p no:xdist

Needs only the catalog check's reads (compliance/audit_policy.json, Sids CatalogCheck*); nothing needs to be
deployed. Every current model, under every scope whose profile the catalog says is called from that Region, is
checked as `python app.py catalog-check` checks a configured one: a wrong card reading fails here before it fails
a deployment.
"""

from __future__ import annotations

import json
import os

import pytest

from core.catalog.claude_models import BUILTIN_MODELS
from core.catalog.scopes import SCOPES
from core.config import load_config
from tests.support.project import PROJECT_CONTEXT

pytestmark = pytest.mark.aws

BREAKING = {"profile", "destinations.extra", "catalog", "read"}


def test_every_current_model_of_the_region_matches_the_account() -> None:
    import boto3

    from compliance.catalog_check.command import run_check

    overrides = json.loads(os.environ.get("CDK_CONTEXT_JSON", "{}"))
    region = load_config({**PROJECT_CONTEXT, **overrides}).regions[0]
    session = boto3.Session()
    problems = []
    for endpoint_scope in SCOPES:
        config = load_config({**PROJECT_CONTEXT, **overrides, "endpoint_scope": endpoint_scope, "regions": [region]})
        offered = [
            m.alias
            for m in BUILTIN_MODELS
            if region in m.sources(endpoint_scope) and m.lifecycle.status_on(config.today) != "end_of_life"
        ]
        if not offered:
            continue
        config = load_config(
            {**PROJECT_CONTEXT, **overrides, "endpoint_scope": endpoint_scope, "regions": [region], "models": offered,
             "invoker_default_model": offered[0]}
        )  # fmt: skip
        rows, _ = run_check(config, session)
        problems += [row for row in rows if row.status == "FAIL" and row.check in BREAKING]
    assert problems == []
