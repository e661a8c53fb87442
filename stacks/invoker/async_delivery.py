"""Where asynchronous invocations of the invoker end: every answer in one queue, every failed event in another, and
answers too large for a queue message in an encrypted bucket.

Asynchronous callers get no return value. The function returns Bedrock's errors as values rather than raising,
so its answer, a message or an error object, always reaches the on-success destination (`InvokerAsyncResultsQueue`);
the dead-letter queue (`InvokerDeadLetterQueue`) receives the events whose invocation failed (init failure,
timeout, crash) and results no consumer could process. An on-success record (request and answer) over the queue's
1 MiB limit cannot be delivered, so the function keeps such an answer in `InvokerAsyncResultsBucket` (SSE-KMS with
the invoker's key, TLS only, expired with the results) and sends a pointer instead; its S3 server access logs go to
`InvokerResultsAccessLogBucket`. All are created in the invoker construct's scope, so the logical IDs of the
queues stay what they have always been.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from core.invoker.environment import RESULTS_PREFIX
from stacks.shared.buckets import private_bucket_props
from stacks.shared.lifetimes import expiry_rules
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs

# SQS keeps a message at most 14 days: the dead-letter queue keeps everything that long, longer than the results
# queue it serves (SQS expires a moved message by its first enqueue time).
DEAD_LETTER_RETENTION = Duration.days(14)
# A replaced or deleted object stays recoverable this long.
NONCURRENT_DAYS = 1


class AsyncDelivery:
    def __init__(
        self,
        scope: Construct,
        *,
        key: kms.IKey,
        results_retention_days: int,
        access_log_retention_days: int,
        removal: RemovalPolicy,
    ) -> None:
        self.dead_letter_queue = sqs.Queue(
            scope,
            "InvokerDeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )
        acknowledge(
            self.dead_letter_queue,
            "AwsSolutions-SQS3",
            "This queue is the dead-letter queue of the invoker's asynchronous invocations; a dead-letter "
            "queue of a dead-letter queue would only move the same events again.",
        )
        self.results_queue = sqs.Queue(
            scope,
            "InvokerAsyncResultsQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=Duration.days(results_retention_days),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=5),
        )
        self.access_log_bucket = s3.Bucket(
            scope,
            "InvokerResultsAccessLogBucket",
            **private_bucket_props(None),  # SSE-S3: the target of S3 server access logs
            lifecycle_rules=expiry_rules(access_log_retention_days, noncurrent_days=NONCURRENT_DAYS),
            removal_policy=removal,
        )
        acknowledge_in_regulatory_packs(
            self.access_log_bucket.node.default_child,  # type: ignore[arg-type]
            "S3DefaultEncryptionKMS",
            "Amazon S3 server access logging delivers only to buckets whose default encryption is SSE-S3 "
            "(AES-256); SSE-KMS is not supported for access-log target buckets. Objects are encrypted at rest.",
        )
        self.results_bucket = s3.Bucket(
            scope,
            "InvokerAsyncResultsBucket",
            **private_bucket_props(key),
            server_access_logs_bucket=self.access_log_bucket,
            server_access_logs_prefix="results-bucket/",
            lifecycle_rules=expiry_rules(results_retention_days, noncurrent_days=NONCURRENT_DAYS),
            removal_policy=removal,
        )
        for bucket, kept in (
            (self.results_bucket, "answers of asynchronous invocations, kept invoker_results_retention_days"),
            (self.access_log_bucket, "S3 server access logs of the results bucket, kept log_retention_days"),
        ):
            acknowledge_in_regulatory_packs(
                bucket.node.default_child,  # type: ignore[arg-type]
                "S3BucketReplicationEnabled",
                f"This bucket holds {kept}, in the Region of the request (data residency); a replica would "
                "outlive the retention chosen for them. Versioning, encryption and S3's storage across "
                "Availability Zones protect the single copy.",
            )

        self.read_policy = self._read_policy(scope, key)

    def _read_policy(self, scope: Construct, key: kms.IKey) -> iam.ManagedPolicy:
        """For the consumers of the answers: receive and delete the queue's messages, read the stored answers, and
        decrypt both, through SQS and S3 only."""
        stack = Stack.of(scope)
        policy = iam.ManagedPolicy(
            scope,
            "ReadAsyncResultsPolicy",
            description="Read the Claude invoker's asynchronous answers: its results queue and results bucket",
            statements=[
                iam.PolicyStatement(
                    sid="ConsumeResultsQueue",
                    actions=[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                    ],
                    resources=[self.results_queue.queue_arn],
                ),
                iam.PolicyStatement(
                    sid="ReadStoredAnswers", actions=["s3:GetObject"], resources=[self.results_object_arn]
                ),
                iam.PolicyStatement(
                    sid="DecryptThroughSqsAndS3",
                    actions=["kms:Decrypt"],
                    resources=[key.key_arn],
                    conditions={
                        "StringEquals": {
                            "kms:ViaService": [f"sqs.{stack.region}.amazonaws.com", f"s3.{stack.region}.amazonaws.com"]
                        }
                    },
                ),
            ],
        )
        bucket_id = stack.get_logical_id(self.results_bucket.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{RESULTS_PREFIX}*]",
            "A consumer reads the answers the function stored under results/, each named at run time by the date "
            "and the Lambda request ID (the pointer in the queue message gives the key); nothing else in the bucket.",
        )
        return policy

    @property
    def queue_arns(self) -> list[str]:
        return [self.dead_letter_queue.queue_arn, self.results_queue.queue_arn]

    @property
    def results_object_arn(self) -> str:
        return self.results_bucket.arn_for_objects(f"{RESULTS_PREFIX}*")
