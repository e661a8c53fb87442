"""Lambda entry point of the continuous audit: an EventBridge schedule invokes it (hourly by default).

It runs `compliance.audit`'s checks for its own Region (`continuous_audit.run`), publishes one metric per check to
CloudWatch (namespace ClaudeOnBedrock/LoggingAudit), and returns a summary. A run that cannot finish publishes
nothing: the drift alarm treats missing data as breaching, so a stopped audit is noticed too.
"""

from __future__ import annotations

import json
import os
from typing import Any, Protocol

import boto3
from continuous_audit import Settings, publish, run

SETTINGS = Settings.from_environment(os.environ)
SESSION = boto3.Session()
REGION = os.environ["AWS_REGION"]


class LambdaContext(Protocol):
    """What the handler reads of the Lambda context: the ARN it was invoked by, whose fifth field is the account."""

    @property
    def invoked_function_arn(self) -> str: ...


def handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    account = context.invoked_function_arn.split(":")[4]
    result = run(SETTINGS, SESSION, REGION, account)
    publish(SESSION.client("cloudwatch", region_name=REGION), result)
    summary = result.summary()
    print(json.dumps(summary))
    return summary
