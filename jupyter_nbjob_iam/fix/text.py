"""User-facing text of the plan: why a statement is not written, and what each mode grants."""

from __future__ import annotations

LEGACY_REASON = (
    "Only scheduler versions before 3.0 use this statement, and none is installed here, so the fix does "
    "not add it (least privilege)."
)
SKIP_REASONS = {
    "denied": (
        "An explicit deny, a permissions boundary or a service control policy blocks it{by}. An added "
        "Allow cannot override that, so the fix does not try: an administrator has to change that "
        "policy (see the hand-off)."
    ),
    "conditional": (
        "Whether it is allowed depends on details of the real request the check cannot know{keys}. "
        "The fix writes nothing it cannot check: review the condition, or ask an administrator."
    ),
    "unknown": (
        "Your policies could not all be read{why}, so the fix cannot tell what is missing and writes nothing for it."
    ),
}

LEAST_PRIVILEGE_TEXT = (
    "Least privilege (the default): each statement is limited to what the check verified: iam:PassRole only "
    "on the chosen execution role and only to the services that need it, S3 only on the scheduler's own "
    "buckets, KMS only on your keys. (--as-guide writes the AWS guide's broader statements instead.)"
)
AS_GUIDE_TEXT = (
    "As in the AWS guide (--as-guide): the guide's statements are written word for word. They grant more "
    "than notebook jobs need:"
)
GUARD_NOTE = (
    "The role's trust guards its services with {keys} (against the confused deputy), so the added service "
    "gets the same conditions. If a condition names another service's resources (aws:SourceArn), the new "
    "service's requests may not match it: if the re-check still finds the trust missing, an administrator "
    "widens that condition for it."
)
