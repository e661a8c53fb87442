"""Resources are named by construct path and intrinsics read as text, never as CloudFormation tokens."""

from __future__ import annotations

from compliance.report.cloud_assembly import Names, Stack, read_stacks, templates_fingerprint
from tests.support.synth import Synth


def _stack(
    name: str, resources: dict[str, object], paths: dict[str, str], outputs: dict[str, object] | None = None
) -> Stack:
    template = {"Resources": resources, "Outputs": outputs or {}}
    return Stack(name, "eu-west-1", template, paths)


LOGGING = _stack(
    "ClaudeInvocationLogging-eu-west-1",
    {"BucketAB12CD34": {"Type": "AWS::S3::Bucket"}, "KeyEF56": {"Type": "AWS::KMS::Key"}},
    {
        "BucketAB12CD34": "ClaudeInvocationLogging/InvocationLogBucket/Resource",
        "KeyEF56": "ClaudeInvocationLogging/Key/Resource",
    },
    {
        "PublishBucket": {"Value": {"Ref": "BucketAB12CD34"}},
        "Exported": {"Value": {"Fn::GetAtt": ["KeyEF56", "Arn"]}, "Export": {"Name": "key-arn"}},
    },
)
USAGE = _stack(
    "ClaudeUsage-eu-west-1", {"TableX": {"Type": "AWS::Glue::Table"}}, {"TableX": "ClaudeUsage/InvocationLogTable"}
)
NAMES = Names([LOGGING, USAGE])


def test_construct_paths_without_the_stack_and_wrappers() -> None:
    assert LOGGING.readable("BucketAB12CD34") == "InvocationLogBucket"
    assert USAGE.readable("TableX") == "InvocationLogTable"
    assert NAMES.of("KeyEF56") == "Key"
    assert NAMES.where("BucketAB12CD34") == "ClaudeInvocationLogging-eu-west-1/InvocationLogBucket"
    assert NAMES.of("Unknown") == "Unknown"


def test_intrinsics_read_as_names() -> None:
    text = NAMES.text
    assert text({"Ref": "BucketAB12CD34"}) == "{InvocationLogBucket}"
    assert text({"Fn::GetAtt": ["KeyEF56", "Arn"]}) == "{Key}"
    assert text({"Fn::GetAtt": ["KeyEF56", "KeyId"]}) == "{Key.KeyId}"
    assert text({"Ref": "AWS::AccountId"}) == "{account}"
    assert text({"Ref": "AWS::Region"}, "eu-west-1") == "eu-west-1"
    joined = {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "BucketAB12CD34"}, "/logs/", {"Ref": "AWS::AccountId"}]]}
    assert text(joined) == "arn:aws:s3:::{InvocationLogBucket}/logs/{account}"
    output = {"Fn::GetStackOutput": {"StackName": LOGGING.name, "Region": "eu-west-1", "OutputName": "PublishBucket"}}
    assert text(output) == "{InvocationLogBucket}"
    assert text({"Fn::ImportValue": "key-arn"}) == "{Key}"
    assert (
        text({"Fn::Sub": "arn:aws:s3:::${BucketAB12CD34}/${AWS::AccountId}"})
        == "arn:aws:s3:::{InvocationLogBucket}/{account}"
    )
    suffix = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}
    assert text(suffix) == "{unique suffix}"
    assert text({"Fn::Base64": "x"}) == "{computed at deployment}"
    # Data stays data: a policy document keeps its shape, with its intrinsics as text.
    assert text({"Effect": "Allow", "Resource": [{"Ref": "BucketAB12CD34"}]}) == {
        "Effect": "Allow",
        "Resource": ["{InvocationLogBucket}"],
    }


def test_every_resource_of_the_assembly_has_a_construct_path(default_synth: Synth) -> None:
    stacks = read_stacks(default_synth.outdir)
    for stack in stacks:
        missing = [k for k in stack.resources if k not in stack.paths]
        assert not missing, (stack.name, missing)
    names = {stack.readable(k) for stack in stacks for k in stack.resources}
    assert {"InvocationLogBucket", "InvocationLogGroup", "InvokerRole", "InvokerFunction"} <= names


def test_the_templates_fingerprint_follows_the_templates(default_synth: Synth) -> None:
    stacks = read_stacks(default_synth.outdir)
    first = templates_fingerprint(stacks)
    assert first == templates_fingerprint(read_stacks(default_synth.outdir)) and len(first) == 12
    stacks[0].template["Resources"].pop(next(iter(stacks[0].template["Resources"])))
    assert templates_fingerprint(stacks) != first
