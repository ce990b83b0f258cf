"""The embedded default: a seeded local AWS (moto) for demos and UI tests, no AWS account needed.

See ``seed.py`` for what the demo account holds and which gaps a check must find, and ``server.py``
for starting it. moto (``moto[server]``) is imported only when a sandbox starts.
"""

from __future__ import annotations

from .seed import SEEDED_DETAILS, SEEDED_STATUSES, SandboxAccount, seed
from .server import (
    DEFAULT_PORT,
    SANDBOX_PROFILE,
    UNSET_VARS,
    Sandbox,
    apply_env,
    default_state_dir,
    format_env,
    main_sandbox,
    run_sandbox,
    sandbox_env,
    set_auth,
    start_sandbox,
    write_profile_files,
)

__all__ = [
    "DEFAULT_PORT",
    "SANDBOX_PROFILE",
    "SEEDED_DETAILS",
    "SEEDED_STATUSES",
    "UNSET_VARS",
    "Sandbox",
    "SandboxAccount",
    "apply_env",
    "default_state_dir",
    "format_env",
    "main_sandbox",
    "run_sandbox",
    "sandbox_env",
    "seed",
    "set_auth",
    "start_sandbox",
    "write_profile_files",
]
