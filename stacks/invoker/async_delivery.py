"""Where asynchronous invocations of the invoker end: every answer in one queue, every failed event in another.

Asynchronous callers get no return value. The function returns Bedrock's errors as values rather than raising,
so its answer, a message or an error object, always reaches the on-success destination (`InvokerAsyncResultsQueue`);
the dead-letter queue (`InvokerDeadLetterQueue`) receives the events whose invocation failed (init failure,
timeout, crash) and results no consumer could process. Both queues are created in the invoker construct's scope,
so their logical IDs stay what they have always been.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.nag import acknowledge

# SQS keeps a message at most 14 days.
QUEUE_RETENTION = Duration.days(14)


class AsyncDelivery:
    def __init__(self, scope: Construct, *, key: kms.IKey) -> None:
        self.dead_letter_queue = sqs.Queue(
            scope,
            "InvokerDeadLetterQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=QUEUE_RETENTION,
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
            retention_period=QUEUE_RETENTION,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=5),
        )

    @property
    def queue_arns(self) -> list[str]:
        return [self.dead_letter_queue.queue_arn, self.results_queue.queue_arn]
