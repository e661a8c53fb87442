"""CloudFormation intrinsic functions resolved to sample values, so a synthesized policy can be evaluated.

A deployed stack has concrete ARNs where the template has `Ref`, `Fn::GetAtt`, `Fn::Join`... This resolver gives
each resource of the template the physical name and ARN CloudFormation would plausibly give it in one sample
account and Region, and fails loudly on anything it does not know (a fake that guesses would hide mistakes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAMPLE_ACCOUNT = "111122223333"


class UnresolvableValue(ValueError):
    """The template holds something this resolver does not model; extend it rather than guess."""


@dataclass
class CfnValues:
    template: dict[str, Any]
    region: str
    account: str = SAMPLE_ACCOUNT
    partition: str = "aws"
    stack_name: str = "SampleStack"
    stack_uuid: str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    overrides: dict[str, str] = field(default_factory=dict)
    # Templates of the other stacks of the app, by stack name: `Fn::GetStackOutput` reads their outputs.
    others: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def stack_id(self) -> str:
        stack = f"stack/{self.stack_name}/{self.stack_uuid}"
        return f"arn:{self.partition}:cloudformation:{self.region}:{self.account}:{stack}"

    def _pseudo(self, name: str) -> str:
        values = {
            "AWS::AccountId": self.account,
            "AWS::Region": self.region,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": self.stack_name,
            "AWS::StackId": self.stack_id,
        }
        if name not in values:
            raise UnresolvableValue(f"pseudo parameter {name}")
        return values[name]

    def _resource(self, logical_id: str) -> dict[str, Any]:
        try:
            return self.template["Resources"][logical_id]
        except KeyError:
            raise UnresolvableValue(f"no resource {logical_id} in the template") from None

    def physical_name(self, logical_id: str) -> str:
        """The name CloudFormation gives a resource: its explicit name property if any, else a sample."""
        if logical_id in self.overrides:
            return self.overrides[logical_id]
        resource = self._resource(logical_id)
        props = resource.get("Properties", {})
        for key in ("BucketName", "RoleName", "LogGroupName", "QueueName", "TopicName", "FunctionName"):
            if key in props:
                return str(self.resolve(props[key]))
        if resource["Type"] == "AWS::Events::Rule" and "Name" in props:
            return str(self.resolve(props["Name"]))
        return f"{self.stack_name}-{logical_id}".lower() if resource["Type"] == "AWS::S3::Bucket" else logical_id

    def arn(self, logical_id: str) -> str:
        kind = self._resource(logical_id)["Type"]
        name = self.physical_name(logical_id)
        p, r, a = self.partition, self.region, self.account
        arns = {
            "AWS::S3::Bucket": f"arn:{p}:s3:::{name}",
            "AWS::KMS::Key": f"arn:{p}:kms:{r}:{a}:key/{logical_id.lower()}",
            "AWS::Logs::LogGroup": f"arn:{p}:logs:{r}:{a}:log-group:{name}:*",
            "AWS::IAM::Role": f"arn:{p}:iam::{a}:role/{name}",
            "AWS::IAM::ManagedPolicy": f"arn:{p}:iam::{a}:policy/{name}",
            "AWS::SQS::Queue": f"arn:{p}:sqs:{r}:{a}:{name}",
            "AWS::SNS::Topic": f"arn:{p}:sns:{r}:{a}:{name}",
            "AWS::Lambda::Function": f"arn:{p}:lambda:{r}:{a}:function:{name}",
            "AWS::Events::Rule": f"arn:{p}:events:{r}:{a}:rule/{name}",
            "AWS::Bedrock::Guardrail": f"arn:{p}:bedrock:{r}:{a}:guardrail/{self.resource_id(logical_id)}",
            "AWS::Bedrock::ApplicationInferenceProfile": (
                f"arn:{p}:bedrock:{r}:{a}:application-inference-profile/{self.resource_id(logical_id)}"
            ),
            "AWS::CloudWatch::Alarm": f"arn:{p}:cloudwatch:{r}:{a}:alarm:{name}",
        }
        if kind not in arns:
            raise UnresolvableValue(f"ARN of a {kind} ({logical_id})")
        return arns[kind]

    def resource_id(self, logical_id: str) -> str:
        """A 12-character ID as Bedrock gives guardrails and application profiles, distinct per resource (a prefix of
        the logical ID would not be: a team's profiles share the team's prefix)."""
        import hashlib

        return hashlib.sha256(logical_id.encode()).hexdigest()[:12]

    def _ref(self, name: str) -> str:
        if name.startswith("AWS::"):
            return self._pseudo(name)
        kind = self._resource(name)["Type"]
        if kind in ("AWS::IAM::ManagedPolicy", "AWS::SNS::Topic"):
            return self.arn(name)
        if kind == "AWS::SQS::Queue":
            return f"https://sqs.{self.region}.amazonaws.com/{self.account}/{self.physical_name(name)}"
        if kind == "AWS::KMS::Key":
            return name.lower()
        if kind == "AWS::Lambda::Alias":  # Ref of an alias is its ARN: the function's ARN and the alias name
            props = self._resource(name)["Properties"]
            return f"{self.resolve({'Fn::GetAtt': [props['FunctionName']['Ref'], 'Arn']})}:{props['Name']}"
        return self.physical_name(name)

    def _get_att(self, logical_id: str, attribute: str) -> str:
        if attribute == "Arn":
            return self.arn(logical_id)  # a log group's Arn attribute ends with ':*', as CloudFormation returns it
        if attribute == "QueueName":
            return self.physical_name(logical_id)
        kind = self._resource(logical_id)["Type"]
        if (kind, attribute) in (
            ("AWS::Bedrock::Guardrail", "GuardrailArn"),
            ("AWS::Bedrock::ApplicationInferenceProfile", "InferenceProfileArn"),
        ):
            return self.arn(logical_id)
        if (kind, attribute) == ("AWS::Bedrock::GuardrailVersion", "Version"):
            return "1"
        if (kind, attribute) in (
            ("AWS::Bedrock::Guardrail", "GuardrailId"),
            ("AWS::Bedrock::ApplicationInferenceProfile", "InferenceProfileId"),
        ):
            return self.resource_id(logical_id)
        raise UnresolvableValue(f"Fn::GetAtt {logical_id}.{attribute}")

    def _stack_output(self, stack_name: str, output_name: str) -> str:
        if stack_name not in self.others:
            raise UnresolvableValue(f"Fn::GetStackOutput of {stack_name}: pass its template in `others`")
        producer = self.others[stack_name]
        values = CfnValues(
            producer, self.region, self.account, self.partition, stack_name, self.stack_uuid, others=self.others
        )
        return str(values.resolve(producer["Outputs"][output_name]["Value"]))

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Ref":
                return self._ref(argument)
            if function == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self._get_att(logical_id, attribute)
            if function == "Fn::Join":
                separator, parts = argument
                return separator.join(str(self.resolve(part)) for part in parts)
            if function == "Fn::Select":
                index, items = argument
                return self.resolve(items)[int(index)]
            if function == "Fn::GetStackOutput":
                return self._stack_output(argument["StackName"], argument["OutputName"])
            if function == "Fn::Split":
                separator, text = argument
                return str(self.resolve(text)).split(separator)
            if function.startswith("Fn::"):
                raise UnresolvableValue(function)
        return {key: self.resolve(item) for key, item in value.items()}
