"""The Claude invoker's logic: configuration, request validation, the Bedrock call and error mapping.

Plain functions and small classes with the Bedrock client injected, so everything here runs without Lambda.
Only the standard library, botocore/boto3 are imported here; Powertools lives in `handler.py`.
"""
