"""Amazon Bedrock data retention of the account, per Region: its mode and where retained data is kept."""
