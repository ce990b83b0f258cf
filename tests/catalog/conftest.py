"""Catalog test fixtures."""

from __future__ import annotations

import pytest
from catalog_oracle import GUIDE, parse_guide


@pytest.fixture(scope="session")
def guide() -> dict[str, dict]:
    """The guide's four policies (identity, kms, trust, role), parsed from the guide's text."""
    assert GUIDE.is_file(), f"the AWS guide is expected at {GUIDE} (shared/ beside the repository)"
    return parse_guide(GUIDE.read_text(encoding="utf-8"))
