"""What the usage dashboard and the saved queries expect of the invoker, checked against what it really emits.

The handler runs (Bedrock answered over HTTP by the stand-in); its EMF metrics, its log line and the request
metadata it sends are compared with core/usage/metrics.py, core/usage/queries.py and core/usage/athena.py, so a
change on either side that breaks a graph or a query fails here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from core.usage.athena import INVOKER_METADATA_KEYS
from core.usage.metrics import INVOKER_METRICS, INVOKER_THROTTLE_ERROR_TYPE
from core.usage.queries import INVOKER_LOG, INVOKER_METADATA_VALUE, INVOKER_SUCCESS_MESSAGE, QUERIES
from tests.support.bedrock_runtime import BedrockStandIn
from tests.support.invoker import FakeContext, valid_event


def _emitted(out: str) -> tuple[dict[str, tuple[str, tuple[str, ...]]], list[dict[str, Any]]]:
    """Metric name -> (unit, sorted dimension names) from the EMF lines, and the other JSON log lines."""
    metrics: dict[str, tuple[str, tuple[str, ...]]] = {}
    logs = []
    for line in out.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if "_aws" not in entry:
            logs.append(entry)
            continue
        for directive in entry["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                metrics[metric["Name"]] = (metric["Unit"], tuple(sorted(directive["Dimensions"][0])))
    return metrics, logs


def test_metrics_and_log_fields_are_those_the_dashboard_and_queries_read(
    load_handler: Callable[..., ModuleType], bedrock: BedrockStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load_handler()
    module.handler(valid_event(metadata={"user_id": "u-7"}), FakeContext())
    bedrock.error(400, "ValidationException", "bad request")
    module.handler(valid_event(), FakeContext())
    metrics, logs = _emitted(capsys.readouterr().out)
    assert metrics == {name: (unit, tuple(sorted(dims))) for name, (unit, dims) in INVOKER_METRICS.items()}

    success = next(line for line in logs if line.get("message") == INVOKER_SUCCESS_MESSAGE)
    (slowest,) = [q for q in QUERIES if q.log == INVOKER_LOG]
    assert set(slowest.fields) <= set(success), sorted(set(slowest.fields) - set(success))

    sent = [json.loads(r.headers["x-amzn-bedrock-request-metadata"]) for r in bedrock.requests]
    assert sent[0]["invoker"] == INVOKER_METADATA_VALUE
    assert set(sent[0]) == set(INVOKER_METADATA_KEYS)  # every key the Glue table declares, and no other


def test_bedrock_throttling_is_the_error_type_the_capacity_widget_searches(
    load_handler: Callable[..., ModuleType],
) -> None:
    load_handler()
    errors = sys.modules["claude_invoker.errors"]
    assert errors.BEDROCK_CODES["ThrottlingException"] == INVOKER_THROTTLE_ERROR_TYPE
