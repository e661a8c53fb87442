# ruff: noqa: E501 (the record is copied verbatim, and one of its lines is longer than this repository's limit)
"""A real, public CloudTrail record of an administrator deleting Bedrock's model invocation logging configuration.

Source: panther-labs/panther-analysis,
rules/aws_cloudtrail_rules/aws_bedrock_deletemodelinvocationloggingconfiguration.yml
(commit 539e96ee4fa4c19ba3cff1226d88073ff201afe1), the `Log` of its test "Model Invocation Logging Configuration
Deleted", copied verbatim below. Copyright 2020 Panther Labs Inc, licensed under the Apache License, Version 2.0
(http://www.apache.org/licenses/LICENSE-2.0; the repository's LICENSE.txt). `eventTime` is in Panther's normalized
format, not CloudTrail's ISO 8601; the record has no requestParameters (the API takes none). Its session issuer is an
IAM Identity Center role, whose ARN carries a path, as every role ARN does.

EventBridge delivers such a record as the `detail` of an "AWS API Call via CloudTrail" event (EventBridge user guide,
"Events from AWS services delivered via AWS CloudTrail"): `as_eventbridge_event` wraps it so.
"""

from __future__ import annotations

import json
from typing import Any

PANTHER_DELETE_RECORD = json.loads(
    """
      {
        "awsRegion": "us-west-2",
        "eventCategory": "Management",
        "eventID": "28773860-a4fd-47c7-a215-6f0e6e6e532f",
        "eventName": "DeleteModelInvocationLoggingConfiguration",
        "eventSource": "bedrock.amazonaws.com",
        "eventTime": "2025-01-21 17:49:47.000000000",
        "eventType": "AwsApiCall",
        "eventVersion": "1.09",
        "managementEvent": true,
        "readOnly": false,
        "recipientAccountId": "123123123123",
        "requestID": "7b9b25ca-be2d-4428-9793-0a677c32b823",
        "sessionCredentialFromConsole": true,
        "sourceIPAddress": "161.97.249.211",
        "tlsDetails": {
          "cipherSuite": "TLS_AES_128_GCM_SHA256",
          "clientProvidedHostHeader": "bedrock.us-west-2.amazonaws.com",
          "tlsVersion": "TLSv1.3"
        },
        "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "userIdentity": {
          "accessKeyId": "ASIAQWERQWERQWERQWER",
          "accountId": "123123123123",
          "arn": "arn:aws:sts::123123123123:assumed-role/DevAdmin/dr.evil",
          "principalId": "AROAQWERQWERQWERQWER:dr.evil",
          "sessionContext": {
            "attributes": {
              "creationDate": "2025-01-21T16:08:03Z",
              "mfaAuthenticated": "false"
            },
            "sessionIssuer": {
              "accountId": "123123123123",
              "arn": "arn:aws:iam::123123123123:role/aws-reserved/sso.amazonaws.com/us-west-2/DevAdmin",
              "principalId": "AROAQWERQWERQWERQWER",
              "type": "Role",
              "userName": "DevAdmin"
            }
          },
          "type": "AssumedRole"
        }
      }
    """
)


def as_eventbridge_event(record: dict[str, Any]) -> dict[str, Any]:
    """The record as EventBridge delivers it to the default bus of its Region."""
    return {
        "version": "0",
        "id": "3b3f6c1e-9f0a-4c43-8a8e-1f2d3c4b5a69",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.bedrock",
        "account": record["recipientAccountId"],
        "time": "2025-01-21T17:49:47Z",
        "region": record["awsRegion"],
        "resources": [],
        "detail": record,
    }
