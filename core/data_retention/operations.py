"""The calls that change Amazon Bedrock's data retention settings of an account, as IAM and CloudTrail name them.

- `bedrock:PutAccountDataRetention` sets the account's mode of a Region; `bedrock:DataRetentionMode` filters it by
  the mode being set (Service Authorization Reference, Amazon Bedrock,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html: "Sets the
  account-wide data retention mode"; the key "Filters access by the specified Data Retention Mode", for
  PutAccountDataRetention only). bedrock-mantle has a setting of its own with the same action name
  (https://docs.aws.amazon.com/service-authorization/latest/reference/list_bedrock-mantle.html).
- Retention storage (`PutAccountDataRetentionStorage` and its siblings, botocore's bedrock 2023-04-20 model): the
  Service Authorization Reference lists no IAM action for them yet, so none is written here (the SCPs take them from
  `scp_data_retention_storage_actions`). Their CloudTrail event names are their API operation names, as for every
  call CloudTrail records ("eventName: The requested action, which is one of the actions in the API for that
  service", CloudTrail record contents, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
"""

from __future__ import annotations

PUT_ACCOUNT_DATA_RETENTION = "PutAccountDataRetention"
DATA_RETENTION_MODE_KEY = "bedrock:DataRetentionMode"
# IAM actions that set a retention mode: Bedrock's control plane, and bedrock-mantle's own setting.
DATA_RETENTION_ACTIONS = (f"bedrock:{PUT_ACCOUNT_DATA_RETENTION}", f"bedrock-mantle:{PUT_ACCOUNT_DATA_RETENTION}")
# The API operations (and so CloudTrail event names, source bedrock.amazonaws.com) that change where retained data
# is stored, for the account and for the organization (botocore's model; the organization's are called from the
# management account or a delegated administrator).
DATA_RETENTION_STORAGE_CHANGES = (
    "PutAccountDataRetentionStorage",
    "DeleteAccountDataRetentionStorage",
    "PutOrganizationDataRetentionStorage",
    "DeleteOrganizationDataRetentionStorage",
)
