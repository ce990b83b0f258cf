"""The wildcard matcher against a simple reference: a dynamic-programming matcher over small alphabets.

The reference is the textbook table ``fits[i][j]`` = "the first i pattern tokens match the first j
characters", written for clarity, not speed. The matcher under test must agree with it on random
patterns (with literal segments, as substituted policy variables give) and random texts, for plain
globs, case-insensitive globs, ``ArnLike`` (six parts) and the Resource element's ARN rule.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_nbjob_iam.policy import wildcard
from jupyter_nbjob_iam.policy.wildcard import ARN_PARTS, any_test, arn_test, glob_test, resource_test

STAR, ONE = object(), object()


def tokens(segments):
    out = []
    for text, literal in segments:
        for char in text:
            out.append(char if literal or char not in "*?" else (STAR if char == "*" else ONE))
    return out


def reference(pattern_tokens, text):
    rows, cols = len(pattern_tokens), len(text)
    fits = [[False] * (cols + 1) for _ in range(rows + 1)]
    fits[0][0] = True
    for i in range(1, rows + 1):
        token = pattern_tokens[i - 1]
        for j in range(cols + 1):
            if token is STAR:
                fits[i][j] = fits[i - 1][j] or (j > 0 and fits[i][j - 1])
            elif j > 0:
                fits[i][j] = fits[i - 1][j - 1] and (token is ONE or token == text[j - 1])
    return fits[rows][cols]


def split_tokens(pattern_tokens, parts=ARN_PARTS):
    """Split tokens at the first ``parts - 1`` colons (a colon is never a wildcard)."""
    out = [[]]
    for token in pattern_tokens:
        if token == ":" and len(out) < parts:
            out.append([])
        else:
            out[-1].append(token)
    return out


def reference_arn(pattern_tokens, text):
    pattern_parts = split_tokens(pattern_tokens)
    values = text.split(":", ARN_PARTS - 1)
    return len(values) == len(pattern_parts) and all(
        reference(p, v) for p, v in zip(pattern_parts, values, strict=False)
    )


def reference_resource(pattern_tokens, text):
    if pattern_tokens == [STAR]:
        return True
    pattern_parts = split_tokens(pattern_tokens)
    last = len(pattern_parts) - 1
    for index, part in enumerate(pattern_parts):
        if part and part[-1] is STAR and (index < last or len(pattern_parts) < ARN_PARTS):
            values = text.split(":", index)
            if len(values) != index + 1:
                return False
            rest = [token for k, p in enumerate(pattern_parts[index:]) for token in ([":"] if k else []) + p]
            return all(reference(p, v) for p, v in zip(pattern_parts[:index], values, strict=False)) and reference(
                rest, values[-1]
            )
    return reference_arn(pattern_tokens, text)


segments = st.lists(st.tuples(st.text("ab*?", max_size=5), st.booleans()), min_size=1, max_size=4).map(tuple)
texts = st.text("ab", max_size=12)
arn_segments = st.lists(st.tuples(st.text("ab*?:", max_size=6), st.booleans()), min_size=1, max_size=4).map(tuple)
arn_texts = st.text("ab:", max_size=14)
SETTINGS = settings(max_examples=600, deadline=None)


@SETTINGS
@given(segments, texts)
def test_glob_agrees_with_the_reference(pattern, text):
    assert glob_test(pattern)(text) == reference(tokens(pattern), text)


@SETTINGS
@given(segments, st.text("abAB", max_size=12))
def test_case_insensitive_glob_agrees_with_the_reference_on_lowered_text(pattern, text):
    upper = tuple((part.upper(), literal) for part, literal in pattern)
    assert glob_test(upper, ignore_case=True)(text) == reference(tokens(pattern), text.lower())


@SETTINGS
@given(arn_segments, arn_texts)
def test_arn_like_agrees_with_the_six_part_reference(pattern, text):
    assert arn_test(pattern)(text) == reference_arn(tokens(pattern), text)


@SETTINGS
@given(arn_segments, arn_texts)
def test_resource_agrees_with_the_reference(pattern, text):
    assert resource_test(pattern)(text) == reference_resource(tokens(pattern), text)


@SETTINGS
@given(st.lists(segments, min_size=1, max_size=4), texts)
def test_any_of_several_patterns_is_the_or_of_each(patterns, text):
    assert any_test(list(patterns))(text) == any(reference(tokens(p), text) for p in patterns)


many_segments = st.lists(st.tuples(st.text("abc*?", max_size=5), st.booleans()), min_size=1, max_size=3).map(tuple)


@settings(max_examples=300, deadline=None)
@given(st.lists(many_segments, min_size=wildcard._INDEX_FROM, max_size=40), st.text("abc", max_size=10), st.booleans())
def test_many_patterns_filed_by_required_text_agree_with_trying_each(patterns, text, resource):
    # Given more patterns than the index threshold, When one test is built for all of them,
    # Then it answers as the reference does pattern by pattern
    expected = any((reference_resource if resource else reference)(tokens(p), text) for p in patterns)
    assert any_test(list(patterns), resource=resource)(text) == expected


def test_the_issues_pattern_is_decided_on_a_long_key():
    # Given the issue's shape (a backtracking matcher needs minutes at n=14) and a key of 1,024 "a"s
    pattern = (("arn:aws:s3:::b/" + "*a" * 14 + "*c", False),)
    key = "arn:aws:s3:::b/" + "a" * 1024
    # Then it does not match, and with a final "c" it does
    assert resource_test(pattern)(key) is False
    assert glob_test(pattern)(key) is False
    assert glob_test(pattern)(key + "c") is True


def test_question_marks_in_a_middle_chunk_find_the_leftmost_fit():
    test = glob_test((("*a?c*", False),))
    assert test("xxabcxx") and test("aXc") and not test("ac") and not test("abbc")
    assert glob_test((("x*?b?*y", False),))("xabay") and not glob_test((("x*?b?*y", False),))("xbay")


def test_literal_wildcards_from_variables_match_only_themselves():
    pattern = (("arn:aws:s3:::b/", False), ("*", True), ("?", True))
    assert resource_test(pattern)("arn:aws:s3:::b/*?")
    assert not resource_test(pattern)("arn:aws:s3:::b/xy")


def test_arn_parts_keep_wildcards_inside_and_resource_stars_may_run_on():
    # ArnLike: a "*" in the account part never crosses a colon
    assert arn_test((("arn:aws:iam::*:role/x", False),))("arn:aws:iam::123456789012:role/x")
    assert not arn_test((("arn:aws:iam::1*:role/x", False),))("arn:aws:iam::1:2:role/x")
    # Resource: a "*" that ends a part may run on across colons, one inside a part may not
    assert resource_test((("arn:aws:*", False),))("arn:aws:s3:::bucket")
    assert not arn_test((("arn:aws:*", False),))("arn:aws:s3:::bucket")
    assert not resource_test((("arn:aws:s*3:::b", False),))("arn:aws:s:x3:::b")


@settings(max_examples=100, deadline=None)
@given(st.text("ab", min_size=1, max_size=6), st.integers(min_value=0, max_value=3000))
def test_long_texts_build_the_same_position_masks(head, offset):
    # Given a text longer than the short-text limit, with some structure near a random place
    text = "b" * offset + head + "a" * (wildcard._SHORT_TEXT + 10)
    # When its position masks are built the long way, Then each bit is where the character is
    masks = wildcard._positions(text)
    assert set(masks) == set(text)
    for char, mask in masks.items():
        assert [i for i in range(len(text)) if mask >> i & 1] == [i for i, c in enumerate(text) if c == char]


def test_a_question_mark_chunk_in_a_long_text():
    text = "x" * 3000 + "abc" + "y" * 3000
    assert glob_test((("*a?c*", False),))(text)
    assert not glob_test((("*a?d*", False),))(text)
