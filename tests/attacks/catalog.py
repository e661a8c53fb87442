"""The attack catalog: each step an attacker would take against the guarantee "every Claude call is logged, and
nobody changes that unnoticed", and what the catalog claims stops it.

`tests/attacks/test_catalog.py` evaluates every step under the organization's policies of the default and the
every-option configuration (principalmapper's evaluator) and against the rules of their synthesized logging stacks
(moto's EventBridge pattern matcher), and fails when a claim is wrong; docs/compliance/threats.md shows the table
`make docs` renders from it.
"""

from __future__ import annotations

from tests.attacks.model import PROJECT_TAG, Call, Event, Step

# Statements of the printed and deployed policies (core/organization), by ID.
SETTINGS = "DenyLoggingConfigurationChangesOutsideDeployment"
RETENTION = "DenyDataRetentionChangesOutsideDeployment"
TAKEOVER = "DenyTakingOverExemptRoles"
STORAGE = "DenyChangesToProjectStorageOutsideDeployment"
DETECTORS = "DenyChangesToProjectDetectorsOutsideDeployment"
RCP = "DenyChangesToProjectResourcesOutsideDeployment"
LOG_OBJECTS = "DenyLogObjectDeletion"
UNLOGGED = "DenyInferenceOutsideInvocationLogging"
MANTLE = "DenyUnloggedBedrockEndpoint"
# The scope's statements are named after it: one pattern covers both scopes.
REGIONS = "DenyOutsideApprovedRegionsExceptBedrock*Profiles"
ROUTING = "DenyBedrockRoutingOutside*"
# Rules of the logging stack, by construct ID.
TAMPER = "LoggingTamperRule"
STORAGE_RULE = "StorageGuardRule"
KEYS_RULE = "KeysAndRolesGuardRule"
PROVIDERS_RULE = "ProvidersGuardRule"
DETECTORS_RULE = "DetectorsGuardRule"

ACCOUNT_ARN = "arn:aws:{service}:{region}:{account}:"
IAM = "us-east-1"  # IAM's events reach EventBridge in us-east-1 only
# A Region of the partition where no logging stack runs, in either configuration, and one of the eu geography.
UNAPPROVED = "ap-southeast-2"
UNAPPROVED_EU = "eu-central-1"
LOG_OBJECT = "arn:aws:s3:::{bucket}/invocation-logs/AWSLogs/{account}/BedrockModelInvocationLogs/{region}/x.json.gz"
CDK_EXECUTION_ROLE = "arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-{account}-{region}"
CDK_DEPLOY_ROLE = "arn:aws:iam::{account}:role/cdk-hnb659fds-deploy-role-{account}-{region}"


def arn(service: str, rest: str) -> str:
    return ACCOUNT_ARN.replace("{service}", service) + rest


def tagged(action: str, resource: str) -> Call:
    """A call on one of the project's resources (it carries the project's tag)."""
    return Call(action, resource, PROJECT_TAG)


def profile_call(profile: str, region: str) -> Call:
    """Claude called in `region` through the system-defined profile `profile` of that Region."""
    entry = f"arn:aws:bedrock:{region}:{{account}}:inference-profile/{profile}"
    return Call("bedrock:InvokeModel", entry, {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": entry})


CHANGE = [
    Step(
        "change",
        "put the logging configuration (text and image logging off, or another bucket)",
        (Call("bedrock:PutModelInvocationLoggingConfiguration"),),
        (
            Event(
                "bedrock",
                "PutModelInvocationLoggingConfiguration",
                {"loggingConfig": {"textDataDeliveryEnabled": False}},
            ),
        ),
        denied_by=(SETTINGS,),
        heard_by=(TAMPER,),
    ),
    Step(
        "change",
        "delete the logging configuration",
        (Call("bedrock:DeleteModelInvocationLoggingConfiguration"),),
        (Event("bedrock", "DeleteModelInvocationLoggingConfiguration"),),
        denied_by=(SETTINGS,),
        heard_by=(TAMPER,),
    ),
    Step(
        "change",
        "put the account's data retention mode",
        (Call("bedrock:PutAccountDataRetention", context={"bedrock:DataRetentionMode": "none"}),),
        (Event("bedrock", "PutAccountDataRetention", {"mode": "none"}),),
        denied_by=(RETENTION,),
        heard_by=(TAMPER,),
    ),
    Step(
        "change",
        "put the data retention mode through bedrock-mantle",
        (Call("bedrock-mantle:PutAccountDataRetention"),),
        (Event("bedrock-mantle", "PutAccountDataRetention"),),
        denied_by=(RETENTION, MANTLE),
        note="the tamper rule hears the `bedrock` source only",
    ),
    Step(
        "change",
        "redirect retained data (data retention storage put)",
        (Call("bedrock:PutAccountDataRetentionStorage"),),
        (Event("bedrock", "PutAccountDataRetentionStorage"),),
        heard_by=(TAMPER,),
        note="denied too once `scp_data_retention_storage_actions` names the action, which no AWS page we read does",
    ),
    Step(
        "change",
        "delete the logging configuration as a role named like an earlier version's exemption",
        (Call("bedrock:DeleteModelInvocationLoggingConfiguration"),),
        (Event("bedrock", "DeleteModelInvocationLoggingConfiguration"),),
        denied_by=(SETTINGS,),
        heard_by=(TAMPER,),
        attacker="arn:aws:iam::{account}:role/cdk-x-cfn-exec-role-attacker",
    ),
    Step(
        "change",
        "put the logging configuration as the CDK execution role",
        (Call("bedrock:PutModelInvocationLoggingConfiguration"),),
        (Event("bedrock", "PutModelInvocationLoggingConfiguration"),),
        denied_by=(SETTINGS,),
        heard_by=(TAMPER,),
        attacker=CDK_EXECUTION_ROLE,
    ),
    Step(
        "change",
        "invoke the configuration provider with a forged CloudFormation event",
        (Call("lambda:InvokeFunction", arn("lambda", "function:{provider}")),),
        (Event("lambda", "Invoke", {"functionName": "{provider}"}),),
        residual="Invoke is a data event and not denied; the provider changes nothing and answers nobody unless "
        "CloudFormation is operating on its own resource "
        "(`tests/lambda/logging_configuration/test_provider.py::"
        "test_a_delete_during_an_unrelated_update_changes_nothing_and_sends_nothing`)",
    ),
]

BYPASS = [
    Step(
        "bypass",
        "create a role under the project's path `/claude-on-bedrock/`",
        (Call("iam:CreateRole", "arn:aws:iam::{account}:role/claude-on-bedrock/attacker"),),
        (Event("iam", "CreateRole", {"roleName": "attacker", "path": "/claude-on-bedrock/"}, IAM),),
        denied_by=(TAKEOVER,),
    ),
    Step(
        "bypass",
        "create a role named like the CDK execution role",
        (Call("iam:CreateRole", "arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-attacker-{region}"),),
        (Event("iam", "CreateRole", {"roleName": "cdk-hnb659fds-cfn-exec-role-attacker-{region}"}, IAM),),
        denied_by=(TAKEOVER,),
    ),
    Step(
        "bypass",
        "re-trust the provider's role to the attacker",
        (tagged("iam:UpdateAssumeRolePolicy", "{provider_role_arn}"),),
        (Event("iam", "UpdateAssumeRolePolicy", {"roleName": "{provider_role}", "policyDocument": "{{}}"}, IAM),),
        denied_by=(TAKEOVER, DETECTORS),
        heard_by=(KEYS_RULE,),
        note="in the stack of us-east-1 only: IAM's events reach EventBridge there",
    ),
    Step(
        "bypass",
        "attach a policy to the provider's role",
        (tagged("iam:AttachRolePolicy", "{provider_role_arn}"),),
        (
            Event(
                "iam",
                "AttachRolePolicy",
                {"roleName": "{provider_role}", "policyArn": "arn:aws:iam::aws:policy/x"},
                IAM,
            ),
        ),
        denied_by=(TAKEOVER, DETECTORS),
        heard_by=(KEYS_RULE,),
        note="in the stack of us-east-1 only",
    ),
    Step(
        "bypass",
        "re-trust the CDK execution role",
        (Call("iam:UpdateAssumeRolePolicy", CDK_EXECUTION_ROLE),),
        (Event("iam", "UpdateAssumeRolePolicy", {"roleName": "cdk-hnb659fds-cfn-exec-role-{account}-{region}"}, IAM),),
        denied_by=(TAKEOVER,),
    ),
    Step(
        "bypass",
        "pass the provider's role to a function of one's own",
        (Call("iam:PassRole", "{provider_role_arn}"),),
        (Event("lambda", "CreateFunction20150331", {"functionName": "attacker", "role": "{provider_role_arn}"}),),
        denied_by=(TAKEOVER,),
    ),
    Step(
        "bypass",
        "pass the CDK execution role to a stack of one's own",
        (Call("iam:PassRole", CDK_EXECUTION_ROLE),),
        (Event("cloudformation", "CreateStack", {"stackName": "attacker", "roleARN": CDK_EXECUTION_ROLE}),),
        denied_by=(TAKEOVER,),
    ),
    Step(
        "bypass",
        "deploy a template of one's own through the CDK deploy role",
        (Call("sts:AssumeRole", CDK_DEPLOY_ROLE),),
        (Event("sts", "AssumeRole", {"roleArn": CDK_DEPLOY_ROLE}),),
        residual="deploying is that role's job; `scp_deploy_role_principals` keeps it to named principals, and what "
        "the template changes is heard by the deployment and guard rules",
    ),
    Step(
        "bypass",
        "run a batch inference job",
        (Call("bedrock:CreateModelInvocationJob"),),
        (Event("bedrock", "CreateModelInvocationJob"),),
        denied_by=(UNLOGGED,),
    ),
    Step(
        "bypass",
        "invoke an agent",
        (Call("bedrock:InvokeAgent", arn("bedrock", "agent-alias/AGENT12345/ALIAS12345")),),
        (Event("bedrock", "InvokeAgent"),),
        denied_by=(UNLOGGED,),
    ),
    Step(
        "bypass",
        "invoke a flow",
        (Call("bedrock:InvokeFlow", arn("bedrock", "flow/FLOW123456/alias/ALIAS12345")),),
        (Event("bedrock", "InvokeFlow"),),
        denied_by=(UNLOGGED,),
    ),
    Step(
        "bypass",
        "generate with a knowledge base (RetrieveAndGenerate)",
        (Call("bedrock:RetrieveAndGenerate"),),
        (Event("bedrock", "RetrieveAndGenerate"),),
        denied_by=(UNLOGGED,),
    ),
    Step(
        "bypass",
        "call Claude through bedrock-mantle",
        (Call("bedrock-mantle:CreateInference", arn("bedrock-mantle", "project/proj_abc123")),),
        (Event("bedrock-mantle", "CreateInference"),),
        denied_by=(MANTLE,),
    ),
    Step(
        "bypass",
        "create a Bedrock API key",
        (
            Call(
                "iam:CreateServiceSpecificCredential",
                "arn:aws:iam::{account}:user/someone",
                {"iam:ServiceSpecificCredentialServiceName": "bedrock.amazonaws.com"},
            ),
        ),
        (Event("iam", "CreateServiceSpecificCredential", {"serviceName": "bedrock.amazonaws.com"}, IAM),),
        denied_by=("DenyCreatingBedrockApiKeys",),
    ),
    Step(
        "bypass",
        "call Claude with an existing Bedrock API key",
        (Call("bedrock:CallWithBearerToken"),),
        (Event("bedrock", "InvokeModel"),),
        denied_by=("DenyBedrockApiKeys",),
    ),
    Step(
        "bypass",
        "call the global profile from a Region without logging",
        (profile_call("global.anthropic.claude-haiku-5-5", UNAPPROVED),),
        (Event("bedrock", "InvokeModel", region=UNAPPROVED),),
        denied_by=(REGIONS, ROUTING),
    ),
    Step(
        "bypass",
        "call a geographic profile from a Region of its geography without logging",
        (profile_call("eu.anthropic.claude-sonnet-4-6", UNAPPROVED_EU),),
        (Event("bedrock", "InvokeModel", region=UNAPPROVED_EU),),
        denied_by=(REGIONS,),
    ),
    Step(
        "bypass",
        "invoke the invoker's `url` alias with plain lambda:InvokeFunction and a forged caller",
        (
            Call(
                "lambda:InvokeFunction",
                arn("lambda", "function:{invoker}:url"),
                {**PROJECT_TAG, "lambda:InvokedViaFunctionUrl": "false"},
            ),
        ),
        (Event("lambda", "Invoke", {"functionName": "{invoker}:url"}),),
        denied_by=("DenyInvokingTheUrlAliasOutsideItsUrl",),
    ),
]

BLIND = [
    Step(
        "blind",
        "replace the log bucket's policy (drop its delete and write denies)",
        (tagged("s3:PutBucketPolicy", "arn:aws:s3:::{bucket}"),),
        (Event("s3", "PutBucketPolicy", {"bucketName": "{bucket}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "blind",
        "delete the log bucket's policy",
        (tagged("s3:DeleteBucketPolicy", "arn:aws:s3:::{bucket}"),),
        (Event("s3", "DeleteBucketPolicy", {"bucketName": "{bucket}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "blind",
        "shorten the log bucket's lifecycle",
        (tagged("s3:PutLifecycleConfiguration", "arn:aws:s3:::{bucket}"),),
        (Event("s3", "PutBucketLifecycle", {"bucketName": "{bucket}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "blind",
        "suspend the log bucket's versioning",
        (tagged("s3:PutBucketVersioning", "arn:aws:s3:::{bucket}"),),
        (Event("s3", "PutBucketVersioning", {"bucketName": "{bucket}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "blind",
        "shorten the log group's retention",
        (tagged("logs:PutRetentionPolicy", arn("logs", "log-group:{log_group}")),),
        (Event("logs", "PutRetentionPolicy", {"logGroupName": "{log_group}", "retentionInDays": 1}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "blind",
        "add an outside reader to the log key's policy",
        (tagged("kms:PutKeyPolicy", "{log_key_arn}"),),
        (Event("kms", "PutKeyPolicy", {"keyId": "{log_key_arn}", "policyName": "default"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(KEYS_RULE,),
    ),
    Step(
        "blind",
        "disable the alarm topic's key (every notification at once)",
        (tagged("kms:DisableKey", arn("kms", "key/{topic_key}")),),
        (Event("kms", "DisableKey", {"keyId": "{topic_key}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(KEYS_RULE,),
        note="delivered through `alarm_topic_arn` when set: another account's topic and key",
    ),
    Step(
        "blind",
        "disable the tamper rule",
        (tagged("events:DisableRule", arn("events", "rule/{tamper_rule}")),),
        (Event("events", "DisableRule", {"name": "{tamper_rule}"}),),
        denied_by=(DETECTORS, RCP),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "blind",
        "remove the storage rule's targets",
        (tagged("events:RemoveTargets", arn("events", "rule/{storage_rule}")),),
        (Event("events", "RemoveTargets", {"rule": "{storage_rule}", "ids": ["Topic0"]}),),
        denied_by=(DETECTORS, RCP),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "blind",
        "disable the detectors rule, which cannot hear its own removal",
        (tagged("events:DisableRule", arn("events", "rule/{detectors_rule}")),),
        (Event("events", "DisableRule", {"name": "{detectors_rule}"}),),
        denied_by=(DETECTORS, RCP),
        heard_by=(PROVIDERS_RULE, DETECTORS_RULE),
        note="the providers rule is what hears it",
    ),
    Step(
        "blind",
        "disable a delivery-failure alarm's actions",
        (tagged("cloudwatch:DisableAlarmActions", arn("cloudwatch", "alarm:{alarm}")),),
        (Event("monitoring", "DisableAlarmActions", {"alarmNames": ["{alarm}"]}),),
        denied_by=(DETECTORS,),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "blind",
        "replace the alarm topic's policy",
        (tagged("sns:SetTopicAttributes", "{topic}"),),
        (Event("sns", "SetTopicAttributes", {"topicArn": "{topic}", "attributeName": "Policy"}),),
        denied_by=(DETECTORS,),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "blind",
        "replace the configuration provider's code",
        (tagged("lambda:UpdateFunctionCode", arn("lambda", "function:{provider}")),),
        (Event("lambda", "UpdateFunctionCode20150331v2", {"functionName": "{provider}"}),),
        denied_by=(DETECTORS,),
        heard_by=(PROVIDERS_RULE,),
    ),
    Step(
        "blind",
        "change the configuration provider's environment or role",
        (tagged("lambda:UpdateFunctionConfiguration", arn("lambda", "function:{provider}")),),
        (
            Event(
                "lambda",
                "UpdateFunctionConfiguration20150331v2",
                {"functionName": arn("lambda", "function:{provider}")},
            ),
        ),
        denied_by=(DETECTORS,),
        heard_by=(PROVIDERS_RULE,),
    ),
    Step(
        "blind",
        "let anyone invoke the continuous audit",
        (tagged("lambda:AddPermission", arn("lambda", "function:{audit}")),),
        (Event("lambda", "AddPermission20150331v2", {"functionName": "{audit}", "principal": "*"}),),
        denied_by=(DETECTORS,),
        heard_by=(PROVIDERS_RULE,),
    ),
    Step(
        "blind",
        "stop the account's CloudTrail trail",
        (Call("cloudtrail:StopLogging", arn("cloudtrail", "trail/account-trail")),),
        (Event("cloudtrail", "StopLogging", {"name": "account-trail"}),),
        heard_by=(DETECTORS_RULE,),
        note="trails are not the project's: any trail's change is heard",
    ),
    Step(
        "blind",
        "narrow the trail's event selectors",
        (Call("cloudtrail:PutEventSelectors", arn("cloudtrail", "trail/account-trail")),),
        (Event("cloudtrail", "PutEventSelectors", {"trailName": "account-trail"}),),
        heard_by=(DETECTORS_RULE,),
    ),
]

DESTROY = [
    Step(
        "destroy",
        "delete a version of a log object",
        (Call("s3:DeleteObjectVersion", LOG_OBJECT),),
        (Event("s3", "DeleteObject", {"bucketName": "{bucket}", "key": "invocation-logs/x", "versionId": "v1"}),),
        denied_by=(LOG_OBJECTS,),
        heard_by=(STORAGE_RULE,),
        note="heard when a trail records the bucket's data events",
    ),
    Step(
        "destroy",
        "delete a log object under its governance-mode lock",
        (Call("s3:BypassGovernanceRetention", LOG_OBJECT), Call("s3:DeleteObjectVersion", LOG_OBJECT)),
        (Event("s3", "DeleteObject", {"bucketName": "{bucket}", "key": "invocation-logs/x", "versionId": "v1"}),),
        denied_by=(LOG_OBJECTS,),
        heard_by=(STORAGE_RULE,),
        note="heard when a trail records the bucket's data events",
    ),
    Step(
        "destroy",
        "delete the log bucket",
        (tagged("s3:DeleteBucket", "arn:aws:s3:::{bucket}"),),
        (Event("s3", "DeleteBucket", {"bucketName": "{bucket}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "destroy",
        "delete the log group",
        (tagged("logs:DeleteLogGroup", arn("logs", "log-group:{log_group}")),),
        (Event("logs", "DeleteLogGroup", {"logGroupName": "{log_group}"}),),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "destroy",
        "delete the `aws/bedrock/modelinvocations` log stream",
        (tagged("logs:DeleteLogStream", arn("logs", "log-group:{log_group}:log-stream:aws/bedrock/modelinvocations")),),
        (
            Event(
                "logs",
                "DeleteLogStream",
                {"logGroupName": "{log_group}", "logStreamName": "aws/bedrock/modelinvocations"},
            ),
        ),
        denied_by=(STORAGE, RCP),
        heard_by=(STORAGE_RULE,),
    ),
    Step(
        "destroy",
        "schedule the log key's deletion",
        (tagged("kms:ScheduleKeyDeletion", "{log_key_arn}"),),
        (Event("kms", "ScheduleKeyDeletion", {"keyId": "{log_key_arn}", "pendingWindowInDays": 7}),),
        denied_by=(STORAGE, RCP),
        heard_by=(KEYS_RULE,),
    ),
    Step(
        "destroy",
        "untag the log key first, to leave the tag-based statements",
        (tagged("kms:UntagResource", "{log_key_arn}"),),
        (Event("kms", "UntagResource", {"keyId": "{log_key_arn}", "tagKeys": ["project"]}),),
        denied_by=(STORAGE, RCP),
    ),
    Step(
        "destroy",
        "delete the deployment rule",
        (tagged("events:DeleteRule", arn("events", "rule/{deployment_rule}")),),
        (Event("events", "DeleteRule", {"name": "{deployment_rule}"}),),
        denied_by=(DETECTORS, RCP),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "destroy",
        "delete a delivery-failure alarm",
        (tagged("cloudwatch:DeleteAlarms", arn("cloudwatch", "alarm:{alarm}")),),
        (Event("monitoring", "DeleteAlarms", {"alarmNames": ["{alarm}"]}),),
        denied_by=(DETECTORS,),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "destroy",
        "delete the alarm topic",
        (tagged("sns:DeleteTopic", "{topic}"),),
        (Event("sns", "DeleteTopic", {"topicArn": "{topic}"}),),
        denied_by=(DETECTORS,),
        heard_by=(DETECTORS_RULE,),
    ),
    Step(
        "destroy",
        "delete the configuration provider",
        (tagged("lambda:DeleteFunction", arn("lambda", "function:{provider}")),),
        (Event("lambda", "DeleteFunction20150331", {"functionName": "{provider}"}),),
        denied_by=(DETECTORS,),
        heard_by=(PROVIDERS_RULE,),
    ),
    Step(
        "destroy",
        "delete the account's CloudTrail trail",
        (Call("cloudtrail:DeleteTrail", arn("cloudtrail", "trail/account-trail")),),
        (Event("cloudtrail", "DeleteTrail", {"name": "account-trail"}),),
        heard_by=(DETECTORS_RULE,),
    ),
]

STEPS: tuple[Step, ...] = (*CHANGE, *BYPASS, *BLIND, *DESTROY)
