"""Apply through the REST API: two applies of one plan at the same time (exactly one applies, the
other gets the conflict, every change is written once), and a write refused on the way (the answer
names what landed, what failed and what was not tried, and the account matches it)."""

from __future__ import annotations

import asyncio

from .hardening_helpers import ROLE, iam_state, rest, seed, with_writes

BODY = {"role_arn": ROLE, "engine": "local"}


async def test_two_applies_of_one_plan_at_once(iam, proxy, jp_fetch, use_keys, quick_retries):
    # Given a plan of three writes, and writes slow enough that the two applies overlap
    use_keys(seed(iam))
    before = iam_state(iam)
    code, plan = await rest(jp_fetch, "POST", "plan", BODY)
    assert code == 200 and len(plan["writes"]) == 3
    proxy.add("latency", "iam:PutUserPolicy", delay=0.5)
    # When the panel sends the same apply twice at once (a double click, two browser tabs)
    answers = await asyncio.gather(*(rest(jp_fetch, "POST", "apply", {"plan_id": plan["plan_id"]}) for _ in range(2)))
    # Then exactly one applied it and the other was told so, without writing anything
    codes = sorted(code for code, _ in answers)
    assert codes == [200, 409], answers
    applied = next(body for code, body in answers if code == 200)
    conflict = next(body for code, body in answers if code == 409)
    assert applied["status"] == "applied" and conflict["error_code"] == "plan_conflict"
    assert "lock" in conflict["details"], "the two really overlapped (refused at the lock, not afterwards)"
    assert sorted(proxy.writes()) == sorted(w["api_call"] for w in plan["writes"]), "each write once"
    assert iam_state(iam) == with_writes(before, plan["writes"])


async def test_refused_write_through_the_api_names_what_landed(iam, proxy, jp_fetch, use_keys, quick_retries):
    # Given a plan, and AWS failing the second write every time
    use_keys(seed(iam))
    before = iam_state(iam)
    _, plan = await rest(jp_fetch, "POST", "plan", BODY)
    second = plan["writes"][1]
    proxy.add("server_error", second["api_call"])
    # When the panel applies it
    code, result = await rest(jp_fetch, "POST", "apply", {"plan_id": plan["plan_id"]})
    # Then a 200 whose result says: the first landed, the second failed (and why), the third waits
    assert code == 200, result
    assert result["status"] == "partial"
    assert [a["write_id"] for a in result["applied"]] == [plan["writes"][0]["write_id"]]
    assert [(f["write_id"], f["error"]["error_code"]) for f in result["failed"]] == [
        (second["write_id"], "endpoint_unreachable")
    ]
    assert [n["write_id"] for n in result["not_attempted"]] == [plan["writes"][2]["write_id"]]
    assert result["handoff"]["text"] and result["backup_id"]
    # And the account holds exactly the first write
    assert iam_state(iam) == with_writes(before, plan["writes"][:1])


async def test_plan_as_guide_is_chosen_per_request_and_bound_to_the_plan(iam, proxy, jp_fetch, use_keys):
    # Given the usual gaps
    use_keys(seed(iam))
    # When the panel asks for a plan with and without as_guide
    _, scoped = await rest(jp_fetch, "POST", "plan", BODY)
    _, broad = await rest(jp_fetch, "POST", "plan", {**BODY, "as_guide": True})
    code, bad = await rest(jp_fetch, "POST", "plan", {**BODY, "as_guide": "yes"})
    # Then the default is least privilege, as_guide says what it grants, and they are different plans
    assert scoped["mode"]["name"] == "least_privilege" and scoped["mode"]["warnings"] == []
    assert broad["mode"]["name"] == "as_guide" and any(
        "iam:PassRole on every role" in w for w in broad["mode"]["warnings"]
    )
    assert scoped["plan_id"] != broad["plan_id"]
    passrole = {s["Sid"]: s for s in scoped["writes"][0]["after"]["Statement"]}["IAMPassrole"]
    assert passrole["Resource"].endswith(f":role/service-role/{ROLE}")
    assert code == 400 and bad["details"]["field"] == "as_guide"


async def test_an_unsafe_state_dir_is_a_plain_error_without_its_path(iam, proxy, jp_fetch, use_keys, state_dir):
    # Given a plan, then a state directory that others may write to
    use_keys(seed(iam))
    _, plan = await rest(jp_fetch, "POST", "plan", BODY)
    state_dir.chmod(0o777)
    try:
        # When the panel applies it
        code, body = await rest(jp_fetch, "POST", "apply", {"plan_id": plan["plan_id"]})
    finally:
        state_dir.chmod(0o700)
    # Then it is refused with a code the panel can show, and no absolute path is in the body
    assert code == 500 and body["error_code"] == "state_dir_unsafe", body
    assert str(state_dir) not in str(body) and str(state_dir.parent) not in str(body)
