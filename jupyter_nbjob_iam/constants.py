"""The values several parts of the package share, in one place: engines, the policy name, limits and
timeouts. Importing this module imports nothing else (the CLI builds its parser without boto3).

Where a value is also a setting (a trait of ``NbJobIamApp`` or ``NbJobIamService``), the constant is
the trait's default and the value the CLI uses.
"""

from __future__ import annotations

# How a check decides: AWS's policy simulator, the local evaluator, or the simulator with a fallback.
ENGINES = ("auto", "local", "simulator")
DEFAULT_ENGINE = "auto"

# The inline policy the fix owns (and, past the inline quota, the stem of its managed policy's name).
DEFAULT_POLICY_NAME = "SageMakerNotebookJobs"

# An AWS region name (us-east-1, us-isob-east-1, eusc-de-east-1), for every input that names one:
# two letters, or the European Sovereign Cloud's "eusc", then words, then a number.
REGION_PATTERN = r"^(?:[a-z]{2}|eusc)(-[a-z]+)+-\d{1,2}$"

# The largest valid request body is about 12 KB (six fields of at most 2,048 characters each).
MAX_FIELD_CHARS = 2048
MAX_BODY_BYTES = 16 * 1024

# Every AWS call: seconds to connect, seconds to wait for an answer, tries in all (the first included).
AWS_CONNECT_TIMEOUT = 5.0
AWS_READ_TIMEOUT = 20.0
AWS_MAX_ATTEMPTS = 5

# AWS calls in flight at once, process-wide (the server's ``aws_max_concurrency``; the CLI's bound).
AWS_MAX_CONCURRENCY = 16

# Overall deadlines of one request, in seconds: a check (also plan, identity, roles), and a fix or an
# undo including its verification. ``VERIFY_TIMEOUT``: how long the fix keeps re-checking while IAM
# propagates (it must fit in ``FIX_TIMEOUT``).
CHECK_TIMEOUT = 30.0
FIX_TIMEOUT = 180.0
VERIFY_TIMEOUT = 120.0
