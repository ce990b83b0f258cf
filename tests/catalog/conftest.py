"""Catalog test fixtures."""

from __future__ import annotations

import pytest

from .catalog_oracle import load_guide


@pytest.fixture(scope="session")
def guide() -> dict[str, dict]:
    """The guide's four policies (identity, kms, trust, role), as the AWS guide prints them."""
    return load_guide()
