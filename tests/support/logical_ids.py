"""Logical IDs the tests refer to, copied from the committed snapshots (tests/stacks/__snapshots__/test_app).

Stateful resources first: a change of one of their logical IDs makes CloudFormation replace the resource (a new,
empty bucket, key or queue) and orphan or delete the old one with its logs. tests/stacks/test_logical_ids.py pins
them, so such a change can only be deliberate. The IDs do not depend on the Region or on the options.
"""

from __future__ import annotations

# ClaudeInvocationLogging-<region>
LOG_KEY = "ClaudeInvocationLoggingInvocationLogKey4D9A8F2A"
LOG_BUCKET = "ClaudeInvocationLoggingInvocationLogBucket1F7E1819"
ACCESS_LOG_BUCKET = "ClaudeInvocationLoggingAccessLogBucket7C36F982"
LOG_GROUP = "ClaudeInvocationLoggingInvocationLogGroup13F59F74"
PROVIDER_LOG_GROUP = "ClaudeInvocationLoggingConfigurationProviderLogGroup1BC661DD"

# ClaudeInvoker-<region>
INVOKER_KEY = "ClaudeInvokerInvokerKey1C40B946"
INVOKER_LOG_GROUP = "ClaudeInvokerInvokerLogGroup5FB2DBDB"
DEAD_LETTER_QUEUE = "ClaudeInvokerInvokerDeadLetterQueue13244197"
ASYNC_RESULTS_QUEUE = "ClaudeInvokerInvokerAsyncResultsQueue087B9E3F"
ALARM_TOPIC = "ClaudeInvokerInvokerAlarmTopic0139C2C1"
ASYNC_RESULTS_BUCKET = "ClaudeInvokerInvokerAsyncResultsBucket7137BD32"
RESULTS_ACCESS_LOG_BUCKET = "ClaudeInvokerInvokerResultsAccessLogBucket7DD3D7D8"
# Only with invoker_vpc=true (read from that synthesis before the restructure; unchanged by it).
VPC_FLOW_LOG_GROUP = "ClaudeInvokerInvokerVpcFlowLogsBC26015E"

# Not stateful, but named by ARN outside their stack: callers' trust, other roles' attachments, function ARNs.
ACCESS_POLICY = "ClaudeAccessInvokePolicyD7DD62D8"
ACCESS_ROLE = "InvokerRole4DB2757E"
INVOKER_FUNCTION = "ClaudeInvokerInvokerFunctionAF159E07"
INVOKE_FUNCTION_POLICY = "ClaudeInvokerInvokeFunctionPolicyF2EF07EF"
ASYNC_ALIAS = "ClaudeInvokerInvokerAsyncAliasAA33F616"
READ_ASYNC_RESULTS_POLICY = "ClaudeInvokerReadAsyncResultsPolicy05505A5C"

# Referred to by the logging tests.
DELIVERY_ROLE = "ClaudeInvocationLoggingLoggingDeliveryRole749D9ADE"
REPLICATION_ROLE = "ClaudeInvocationLoggingLogReplicationRole6286816F"
