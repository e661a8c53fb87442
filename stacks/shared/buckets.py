"""The stance every bucket of the project shares: private, owner-enforced, TLS 1.2+ only, versioned, encrypted."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3


def private_bucket_props(key: kms.IKey | None) -> dict[str, Any]:
    """`s3.Bucket` keyword arguments: SSE-KMS with `key` (and an S3 Bucket Key), or SSE-S3 without one (S3
    server access logging delivers only to SSE-S3 buckets); Block Public Access, bucket-owner-enforced ownership,
    a TLS-only (1.2+) bucket policy and versioning either way."""
    encryption: dict[str, Any] = (
        {"encryption": s3.BucketEncryption.KMS, "encryption_key": key, "bucket_key_enabled": True}
        if key is not None
        else {"encryption": s3.BucketEncryption.S3_MANAGED}
    )
    return {
        **encryption,
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "versioned": True,
    }
