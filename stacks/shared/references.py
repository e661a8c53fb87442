"""A value of another stack's output, in any Region of the account: `Fn::GetStackOutput`, which "supports
cross-account and cross-region references" (AWS CloudFormation template reference,
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html).

CDK refers across stacks of one environment by itself (this app's references are weak: the same intrinsic); across
Regions it refuses a resource without a physical name, so the output is read by name instead. The reading stack must
deploy after the stack it reads (`add_stack_dependency`).
"""

from __future__ import annotations

from aws_cdk import Intrinsic, Stack, Token


def stack_output(stack: Stack, output_name: str) -> str:
    """The value of the output `output_name` of `stack`, wherever the reading stack is deployed."""
    reference = {"StackName": stack.stack_name, "OutputName": output_name, "Region": stack.region}
    return Token.as_string(Intrinsic({"Fn::GetStackOutput": reference}))
