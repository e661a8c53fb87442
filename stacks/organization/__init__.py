"""The organization rollout: the member baseline every account gets, and the StackSet that deploys it."""
