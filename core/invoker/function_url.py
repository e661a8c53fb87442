"""The invoker's function URL (`invoker_function_url`): where Lambda offers one, and what a caller's request may be.

AWS Lambda developer guide, "Invoking Lambda function URLs" (https://docs.aws.amazon.com/lambda/latest/dg/
urls-invocation.html): "Function URLs are not supported in the following AWS Regions: Asia Pacific (Hyderabad)
(ap-south-2), Asia Pacific (Melbourne) (ap-southeast-4), Asia Pacific (Malaysia) (ap-southeast-5), Asia Pacific
(New Zealand) (ap-southeast-6), Asia Pacific (Thailand) (ap-southeast-7), Asia Pacific (Taipei) (ap-east-2), Canada
West (Calgary) (ca-west-1), Europe (Spain) (eu-south-2), Europe (Zurich) (eu-central-2), Israel (Tel Aviv)
(il-central-1), and Middle East (UAE) (me-central-1)." CloudFormation would fail the deployment there, so the
plan refuses it at synthesis (`core.deployment`).
"""

from __future__ import annotations

REGIONS_WITHOUT_FUNCTION_URLS = frozenset(
    {
        "ap-south-2",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ap-east-2",
        "ca-west-1",
        "eu-south-2",
        "eu-central-2",
        "il-central-1",
        "me-central-1",
    }
)
# A buffered function URL's request and response limit (Lambda API reference, FunctionUrlConfig InvokeMode:
# "BUFFERED ... The maximum payload size is 6 MB").
BUFFERED_PAYLOAD_MB = 6


def regions_without_function_urls(regions: tuple[str, ...]) -> tuple[str, ...]:
    """The configured Regions where Lambda offers no function URL, in configuration order."""
    return tuple(region for region in regions if region in REGIONS_WITHOUT_FUNCTION_URLS)
