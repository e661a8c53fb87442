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

# Added with the logging guarantee: the alarm topic's own key, the topic, the continuous audit's log group.
ALARM_TOPIC_KEY = "ClaudeInvocationLoggingAlarmTopicKey0D029738"
LOGGING_ALARM_TOPIC = "ClaudeInvocationLoggingLoggingAlarmTopicC20C5E5B"
LOG_AUDIT_LOG_GROUP = "ClaudeInvocationLoggingLogAuditLogGroup9A1F424E"
# Not stateful; named by the stack's outputs.
TAMPER_RULE = "ClaudeInvocationLoggingLoggingTamperRuleE6269B61"
LOG_AUDIT_FUNCTION = "ClaudeInvocationLoggingLogAuditFunction918AA151"
# The configuration resource and its provider function keep the IDs the aws-cdk-lib AwsCustomResource gave them:
# CloudFormation refuses to change a custom resource's ServiceToken (the function's ARN).
CONFIGURATION_RESOURCE = "ClaudeInvocationLoggingInvocationLoggingConfiguration1ACAB681"
PROVIDER_FUNCTION = "AWS679f53fac002430cb0da5b7982bd22872D164C4C"

# Added with data retention (stacks/data_retention): the customer-managed retention storage, kept on delete, and the
# custom resources of the mode and the storage record.
RETENTION_KEY = "ClaudeInvocationLoggingDataRetentionKey57E0685D"
RETENTION_BUCKET = "ClaudeInvocationLoggingDataRetentionBucket6DDD4B48"
RETENTION_MODE_RESOURCE = "ClaudeInvocationLoggingDataRetentionModeFBF65320"
RETENTION_STORAGE_RESOURCE = "ClaudeInvocationLoggingDataRetentionStorage2D1CC86F"

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

# ClaudeUsage-<region>
ATHENA_RESULTS_KEY = "ClaudeUsageAthenaResultsKey8FEDE20C"
ATHENA_RESULTS_BUCKET = "ClaudeUsageAthenaResultsBucketBD6D6E75"
GLUE_DATABASE = "ClaudeUsageGlueDatabaseA748B7D0"
GLUE_TABLE = "ClaudeUsageInvocationLogTableC28DD4C8"
ATHENA_WORKGROUP = "ClaudeUsageAthenaWorkGroup8848F973"
USAGE_DASHBOARD = "ClaudeUsageUsageDashboardB2790F13"
USAGE_QUERY_POLICY = "ClaudeUsageUsageQueryPolicy66A1D0FF"

# ClaudeGuardrails-<region> and ClaudeTeams-<region>, as tests/conftest.py TEAMS_CONTEXT configures them: the IDs
# follow the guardrail's name, the team's name and the model alias, so each keeps its resource while others change.
GUARDRAIL = "StrictGuardrailA3E3C7A9"
GUARDRAIL_VERSION = "StrictGuardrailVersion355A5C73"
DATA_SCIENCE_OPUS_PROFILE = "DataScienceTeamClaudeOpus47ProfileF8C6276E"
DATA_SCIENCE_SONNET_PROFILE = "DataScienceTeamClaudeSonnet46Profile6A32661F"
SUPPORT_HAIKU_PROFILE = "SupportTeamClaudeHaiku45ProfileADB7D632"
DATA_SCIENCE_ROLE = "DataScienceTeamRole5AAA745F"
DATA_SCIENCE_POLICY = "DataScienceTeamInvokePolicy3FE6FCBD"
SUPPORT_ROLE = "SupportTeamRole5ECBB91A"
SUPPORT_POLICY = "SupportTeamInvokePolicyF1FB61EF"

# Not stateful, but named by ARN outside their stack: callers' trust, other roles' attachments, function ARNs.
ACCESS_POLICY = "ClaudeAccessInvokePolicyD7DD62D8"
ACCESS_ROLE = "InvokerRole4DB2757E"
INVOKER_FUNCTION = "ClaudeInvokerInvokerFunctionAF159E07"
INVOKE_FUNCTION_POLICY = "ClaudeInvokerInvokeFunctionPolicyF2EF07EF"
ASYNC_ALIAS = "ClaudeInvokerInvokerAsyncAliasAA33F616"
# With invoker_function_url: the alias behind the URL (callers' policies name it) and the URL (callers are given it).
URL_ALIAS = "ClaudeInvokerInvokerUrlAliasA8494182"
FUNCTION_URL = "ClaudeInvokerInvokerUrlAliasFunctionUrl48A8B93B"
READ_ASYNC_RESULTS_POLICY = "ClaudeInvokerReadAsyncResultsPolicy05505A5C"

# Referred to by the logging tests.
DELIVERY_ROLE = "ClaudeInvocationLoggingLoggingDeliveryRole749D9ADE"
REPLICATION_ROLE = "ClaudeInvocationLoggingLogReplicationRole6286816F"

# ClaudeOrganization: replacing the StackSet would delete every member's stack instances.
STACK_SET = "ClaudeMemberRolloutMemberBaselineStackSet73120364"
# ClaudeMemberBaseline (tests/conftest.py organization_synth): the logging stack's own IDs, plus the invocation policy
# of each Region (named by ARN by whoever attaches it) and the audit role (named by the organization audit).
MEMBER_ACCESS_POLICY_US_EAST_1 = "ClaudeAccessUsEast1InvokePolicyF689D70E"
MEMBER_ACCESS_POLICY_EU_WEST_1 = "ClaudeAccessEuWest1InvokePolicy95940F08"
AUDIT_ROLE = "LoggingAuditRoleCC22A575"
