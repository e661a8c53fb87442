"""Athena over the S3 logs: the Glue table where Bedrock writes, the workgroup's encrypted expiring results, the named
queries, and who the query policy lets read what (evaluated, not read)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import logical_ids as ids
from tests.support.cfn_values import CfnValues
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import SAMPLE_ACCOUNT
from tests.support.synth import Synth
from tests.support.templates import resource

REGION = "us-east-1"


@pytest.fixture(scope="module")
def usage(default_synth: Synth) -> dict[str, Any]:
    template: dict[str, Any] = default_synth.templates[default_synth.stack_name("ClaudeUsage-")]
    return template


@pytest.fixture(scope="module")
def values(default_synth: Synth) -> CfnValues:
    return default_synth.values("ClaudeUsage-")


@pytest.fixture(scope="module")
def log_bucket(default_synth: Synth) -> str:
    """The name the log bucket of the logging stack gets in the sample account."""
    return default_synth.values("ClaudeInvocationLogging-").physical_name(ids.LOG_BUCKET)


def test_the_table_reads_the_records_where_bedrock_writes_them(
    usage: dict[str, Any], values: CfnValues, log_bucket: str
) -> None:
    table = values.resolve(usage["Resources"][ids.GLUE_TABLE]["Properties"])
    assert table["DatabaseName"] == "claude_on_bedrock"
    assert table["CatalogId"] == SAMPLE_ACCOUNT
    spec = table["TableInput"]
    root = f"s3://{log_bucket}/invocation-logs/AWSLogs/{SAMPLE_ACCOUNT}/BedrockModelInvocationLogs/{REGION}/"
    assert spec["StorageDescriptor"]["Location"] == root
    assert spec["Parameters"]["storage.location.template"] == root + "${dt}/"
    assert {k: v for k, v in spec["Parameters"].items() if k.startswith("projection.")} == {
        "projection.enabled": "true",
        "projection.dt.type": "date",
        "projection.dt.format": "yyyy/MM/dd/HH",
        "projection.dt.range": "NOW-30DAYS,NOW",  # log_retention_days
        "projection.dt.interval": "1",
        "projection.dt.interval.unit": "HOURS",
    }
    assert spec["PartitionKeys"] == [{"Name": "dt", "Type": "string"}]
    assert spec["TableType"] == "EXTERNAL_TABLE"
    storage = spec["StorageDescriptor"]
    assert storage["SerdeInfo"] == {
        "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
        "Parameters": {"ignore.malformed.json": "TRUE", "case.insensitive": "TRUE"},
    }
    assert storage["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    columns = {c["Name"]: c["Type"] for c in storage["Columns"]}
    assert columns["modelid"] == "string"
    assert columns["identity"] == "struct<arn:string>"
    assert columns["input"] == (
        "struct<inputcontenttype:string,inputtokencount:bigint,cachereadinputtokencount:bigint,"
        "cachewriteinputtokencount:bigint,inputbodys3path:string>"
    )
    assert columns["output"] == "struct<outputcontenttype:string,outputtokencount:bigint,outputbodys3path:string>"
    assert columns["requestmetadata"] == (
        "struct<invoker:string,model_alias:string,function_arn:string,lambda_request_id:string,user_id:string,"
        "attribution:string,caller_arn:string,caller_account:string,caller_org_id:string,team:string>"
    )
    # Prompts and completions are not columns.
    assert not any("body" in name or "bodyjson" in kind for name, kind in columns.items())


def test_the_workgroup_enforces_encrypted_results_and_a_scan_limit(usage: dict[str, Any], values: CfnValues) -> None:
    workgroup = values.resolve(usage["Resources"][ids.ATHENA_WORKGROUP]["Properties"])
    assert workgroup["Name"] == "claude-on-bedrock-usage"
    configuration = workgroup["WorkGroupConfiguration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    assert configuration["PublishCloudWatchMetricsEnabled"] is True
    assert configuration["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    results = configuration["ResultConfiguration"]
    assert results["OutputLocation"] == f"s3://{values.physical_name(ids.ATHENA_RESULTS_BUCKET)}/results/"
    assert results["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS",
        "KmsKey": values.arn(ids.ATHENA_RESULTS_KEY),
    }
    assert results["ExpectedBucketOwner"] == SAMPLE_ACCOUNT


def test_the_results_bucket_forgets_results_after_a_week(usage: dict[str, Any]) -> None:
    bucket = usage["Resources"][ids.ATHENA_RESULTS_BUCKET]["Properties"]
    (sse,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert sse["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Fn::GetAtt": [ids.ATHENA_RESULTS_KEY, "Arn"]},
    }
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["ForgetQueryResults"]["ExpirationInDays"] == 7
    assert rules["ForgetQueryResults"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    key = usage["Resources"][ids.ATHENA_RESULTS_KEY]["Properties"]
    assert key["EnableKeyRotation"] is True


def test_one_named_query_per_sql_query_in_the_workgroup(usage: dict[str, Any]) -> None:
    named = {q["Properties"]["Name"]: q for q in usage["Resources"].values() if q["Type"] == "AWS::Athena::NamedQuery"}
    assert sorted(named) == sorted(
        [
            "Tokens by caller",
            "Tokens by model and profile",
            "Calls and tokens by operation",
            "Errors by model, code and caller",
            "Largest calls",
            "Invoker calls by user and model",
            "Tokens per day and model, last 365 days",
            "Estimated cost by day, caller, team and model",
            "Estimated cost per month, team and caller, last 365 days",
        ]
    )
    for query in named.values():
        properties = query["Properties"]
        assert properties["Database"] == "claude_on_bedrock"
        assert properties["WorkGroup"] == {"Ref": ids.ATHENA_WORKGROUP}
        assert "FROM invocation_logs\n" in properties["QueryString"]
        assert "WHERE schematype = 'ModelInvocationLog' AND dt >= " in properties["QueryString"]
        assert ids.GLUE_TABLE in query["DependsOn"]


@pytest.fixture(scope="module")
def reader(usage: dict[str, Any], values: CfnValues) -> Principal:
    policy = values.resolve(resource_of(usage, ids.USAGE_QUERY_POLICY)["Properties"]["PolicyDocument"])
    return Principal(f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/analyst", [policy])


def resource_of(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"][logical_id]
    return found


def test_the_query_policy_reads_this_regions_records_and_nothing_else(
    reader: Principal, log_bucket: str, default_synth: Synth
) -> None:
    records = f"invocation-logs/AWSLogs/{SAMPLE_ACCOUNT}/BedrockModelInvocationLogs/{REGION}/2026/11/20/09/x.json.gz"
    own = {"s3:ResourceAccount": SAMPLE_ACCOUNT}
    assert allowed(reader, "s3:GetObject", f"arn:aws:s3:::{log_bucket}/{records}", own)
    # Not the large payloads, not another Region's records, not another account's bucket, not a write.
    payload = f"large-payloads/AWSLogs/{SAMPLE_ACCOUNT}/BedrockModelInvocationLogs/{REGION}/2026/11/20/09/data/x.gz"
    assert not allowed(reader, "s3:GetObject", f"arn:aws:s3:::{log_bucket}/{payload}", own)
    other_region = records.replace(f"/{REGION}/", "/eu-west-1/")
    assert not allowed(reader, "s3:GetObject", f"arn:aws:s3:::{log_bucket}/{other_region}", own)
    assert not allowed(
        reader, "s3:GetObject", f"arn:aws:s3:::{log_bucket}/{records}", {"s3:ResourceAccount": "444455556666"}
    )
    assert not allowed(reader, "s3:PutObject", f"arn:aws:s3:::{log_bucket}/{records}", own)
    log_key = default_synth.values("ClaudeInvocationLogging-").arn(ids.LOG_KEY)
    assert allowed(reader, "kms:Decrypt", log_key)
    assert not allowed(reader, "kms:Decrypt", f"arn:aws:kms:{REGION}:{SAMPLE_ACCOUNT}:key/another")


def test_the_query_policy_runs_queries_in_the_workgroup_only(reader: Principal, values: CfnValues) -> None:
    workgroup = f"arn:aws:athena:{REGION}:{SAMPLE_ACCOUNT}:workgroup/claude-on-bedrock-usage"
    assert allowed(reader, "athena:StartQueryExecution", workgroup)
    assert not allowed(reader, "athena:StartQueryExecution", workgroup.replace("claude-on-bedrock-usage", "primary"))
    assert allowed(
        reader, "glue:GetTable", f"arn:aws:glue:{REGION}:{SAMPLE_ACCOUNT}:table/claude_on_bedrock/invocation_logs"
    )
    assert not allowed(reader, "glue:GetTable", f"arn:aws:glue:{REGION}:{SAMPLE_ACCOUNT}:table/claude_on_bedrock/other")
    results = values.physical_name(ids.ATHENA_RESULTS_BUCKET)
    assert allowed(reader, "s3:PutObject", f"arn:aws:s3:::{results}/results/abc.csv")
    assert not allowed(reader, "s3:PutObject", f"arn:aws:s3:::{results}/elsewhere/abc.csv")
    assert allowed(reader, "kms:GenerateDataKey", values.arn(ids.ATHENA_RESULTS_KEY))


def test_outputs_name_the_workgroup_table_and_policy(usage: dict[str, Any]) -> None:
    outputs = {name: output["Value"] for name, output in usage["Outputs"].items()}
    assert outputs["AthenaWorkGroup"] == "claude-on-bedrock-usage"
    assert outputs["GlueTable"] == "claude_on_bedrock.invocation_logs"
    assert outputs["UsageQueryPolicyArn"] == {"Ref": ids.USAGE_QUERY_POLICY}
    assert outputs["DashboardName"] == {"Ref": ids.USAGE_DASHBOARD}


def test_template_helpers_see_the_same_resources(default_synth: Synth) -> None:
    assert resource(default_synth.template("ClaudeUsage-"), ids.GLUE_DATABASE)["Properties"]["DatabaseInput"] == {
        "Name": "claude_on_bedrock",
        "Description": "Claude on Amazon Bedrock: invocation logs of this Region",
    }
