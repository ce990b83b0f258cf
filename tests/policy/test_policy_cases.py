"""Walks the whole-case fixtures in ``cases/*.json``, written by hand from AWS's documentation.

Each case is ``{name, request, policies, permissions_boundary?, expected}`` with ``expected``
holding ``decision`` and optionally ``missing_context`` (compared as a case-insensitive set),
``matched`` (the Sids of ``result.matched``), ``reason``, and ``error`` (a text one of
``result.errors`` must contain). A case without ``error`` must produce no errors at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_nbjob_iam.policy import Request, evaluate

CASES_DIR = Path(__file__).parent / "cases"
MIN_CASES = 150


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text()):
            case["file"] = path.name
            cases.append(case)
    return cases


CASES = load_cases()


def test_there_are_enough_uniquely_named_cases():
    names = [case["name"] for case in CASES]
    assert len(names) >= MIN_CASES
    assert len(set(names)) == len(names), "case names must be unique"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    # Given a request and policies from the fixture
    request = Request(**case["request"])
    expected = case["expected"]

    # When the evaluator decides
    result = evaluate(request, case["policies"], case.get("permissions_boundary"))

    # Then the decision and its reasons are the documented ones
    explanation = result.explain()
    assert result.decision == expected["decision"], explanation
    if "missing_context" in expected:
        got = {key.lower() for key in result.missing_context}
        assert got == {key.lower() for key in expected["missing_context"]}, explanation
    if "matched" in expected:
        assert sorted(map(str, (m.sid for m in result.matched))) == sorted(map(str, expected["matched"])), explanation
    if "reason" in expected:
        assert result.reason == expected["reason"], explanation
    if "error" in expected:
        assert result.errors, explanation
        assert any(expected["error"].lower() in str(error).lower() for error in result.errors), explanation
    else:
        assert result.errors == (), explanation
    assert explanation
