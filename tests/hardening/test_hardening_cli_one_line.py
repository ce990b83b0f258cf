"""The CLI says why it refused in one line, even when the value it quotes has a line break."""

from __future__ import annotations

import pytest

from .test_hardening_fuzz_cli import assert_outcome, run  # noqa: F401


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--region", "us-east-1\nINJECTED"],
        ["check", "--role", "Role\nINJECTED"],
        ["check", "--kms-key-arn", "arn\nINJECTED"],
        ["check", "--profile", "p\nINJECTED"],
        ["check", "--engine", "local\nINJECTED"],
        ["check", "stray\nINJECTED"],
        ["undo", "--yes", "id\nINJECTED"],
    ],
    ids=lambda a: a[1],
)
def test_reason_stays_one_line_with_a_line_break_in_the_value(run, argv):  # noqa: F811
    # Given a value with a line break (pasted from somewhere)
    code, _, err = run(argv)
    # Then the refusal is still one line: the value is quoted, not echoed raw
    assert code == 2
    assert_outcome(code, err, argv)
