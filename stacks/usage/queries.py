"""Saved CloudWatch Logs Insights queries (AWS::Logs::QueryDefinition) on the invocation and invoker log groups."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_logs as logs
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.queries import INVOCATION_LOG, QUERY_FOLDER, UsageQuery


class SavedQueries:
    def __init__(
        self,
        scope: Construct,
        *,
        queries: Sequence[UsageQuery],
        invocation_log_group_name: str,
        invoker_log_group_name: str,
    ) -> None:
        self.definitions: dict[str, logs.CfnQueryDefinition] = {}
        for query in queries:
            if query.insights is None:
                continue
            group = invocation_log_group_name if query.log == INVOCATION_LOG else invoker_log_group_name
            self.definitions[query.name] = logs.CfnQueryDefinition(
                scope,
                f"{sid(query.name)}Query",
                name=f"{QUERY_FOLDER}/{query.title}",
                query_string=query.insights,
                log_group_names=[group],
                query_language="CWLI",
            )
