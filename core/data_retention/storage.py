"""What a customer-managed retention storage needs: the bucket and key policy statements Amazon Bedrock validates.

Amazon Bedrock API reference, DataRetentionStorageConfiguration
(https://docs.aws.amazon.com/bedrock/latest/APIReference/API_DataRetentionStorageConfiguration.html): "Before saving a
customer-managed destination, Amazon Bedrock validates that you can use the bucket and key and that their resource
policies permit the required Amazon Bedrock access. ... You need s3:PutObject, s3:GetObject, kms:GenerateDataKey, and
kms:Decrypt permissions. The Amazon S3 bucket policy must allow the Amazon Bedrock service principal,
bedrock.amazonaws.com, to put, get, and delete objects with conditions appropriate to the configuration scope. Use
aws:SourceAccount for account scope ... The key policy must permit kms:GenerateDataKey and kms:Decrypt for both uses
of the key: direct use by Amazon Bedrock with the scope conditions, and use through Amazon S3 with a kms:ViaService
condition for the bucket's Region and kms:EncryptionContext:aws:s3:arn scoped to the bucket." The bucket and the key
"must be in the AWS Region where you register the configuration" (PutAccountDataRetentionStorage).
"""

from __future__ import annotations

from typing import Any

BEDROCK_SERVICE_PRINCIPAL = "bedrock.amazonaws.com"
# What Bedrock does with retained objects, and what the caller registering the storage must be able to do.
BEDROCK_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject", "s3:DeleteObject")
CALLER_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject")
KEY_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")


def storage_bucket_statements(bucket_arn: str, *, account: str) -> list[dict[str, Any]]:
    """Bedrock puts, gets and deletes retained objects, for this account only (account scope)."""
    return [
        {
            "Sid": "AllowBedrockRetainedDataOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": BEDROCK_SERVICE_PRINCIPAL},
            "Action": list(BEDROCK_OBJECT_ACTIONS),
            "Resource": f"{bucket_arn}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }
    ]


def storage_key_statements(bucket_arn: str, *, account: str, region: str) -> list[dict[str, Any]]:
    """Bedrock uses the key directly for this account only, and through S3 of the bucket's Region for this bucket.

    With an S3 Bucket Key the encryption context is the bucket's ARN, without one the object's: both are named.
    """
    return [
        {
            "Sid": "AllowBedrockRetainedDataKeyOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": BEDROCK_SERVICE_PRINCIPAL},
            "Action": list(KEY_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        },
        {
            "Sid": "AllowBedrockRetainedDataKeyThroughS3",
            "Effect": "Allow",
            "Principal": {"Service": BEDROCK_SERVICE_PRINCIPAL},
            "Action": list(KEY_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
                "StringLike": {"kms:EncryptionContext:aws:s3:arn": [bucket_arn, f"{bucket_arn}/*"]},
            },
        },
    ]
