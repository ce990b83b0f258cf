"""IAM wildcards (``*`` any run of characters, ``?`` one character) as compiled regular expressions.

A pattern is a tuple of segments ``(text, literal)``: wildcards are active only in non-literal text.
Literal segments come from policy variables (``${*}`` is a literal ``*``; a substituted user name
is literal text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

Segment = tuple[str, bool]
Test = Callable[[str], bool]

_WILD = re.compile(r"([*?])")


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _glob_part(text: str, star: str, one: str) -> str:
    out = []
    for piece in _WILD.split(text):
        if piece == "*":
            out.append(star)
        elif piece == "?":
            out.append(one)
        elif piece:
            out.append(re.escape(piece))
    return "".join(out)


def _body(segments: tuple[Segment, ...]) -> str:
    return "".join(re.escape(text) if literal else _glob_part(text, ".*", ".") for text, literal in segments)


@lru_cache(maxsize=8192)
def _compile(segments: tuple[Segment, ...], ignore_case: bool) -> re.Pattern[str]:
    return re.compile(_body(segments), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


@lru_cache(maxsize=8192)
def _compile_any(patterns: tuple[tuple[Segment, ...], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_body(segments)})" for segments in patterns), re.DOTALL)


def is_exact(segments: tuple[Segment, ...]) -> bool:
    if len(segments) == 1:  # the common case: one plain string
        text, literal = segments[0]
        return literal or not ("*" in text or "?" in text)
    return all(literal or not has_wildcard(text) for text, literal in segments)


def _text(segments: tuple[Segment, ...]) -> str:
    return segments[0][0] if len(segments) == 1 else "".join(text for text, _ in segments)


def any_test(patterns: list[tuple[Segment, ...]]) -> Test:
    """One test for "matches any of these patterns" (case-sensitive): a set lookup for the exact ones,
    one combined regular expression for the others."""
    if (("*", False),) in patterns:
        return lambda value: True
    exact_texts: list[str] = []
    wild_list: list[tuple[Segment, ...]] = []
    for segments in patterns:
        if is_exact(segments):
            exact_texts.append(_text(segments))
        else:
            wild_list.append(segments)
    exact = frozenset(exact_texts)
    wild = tuple(wild_list)
    if not wild:
        return exact.__contains__
    fullmatch = _compile_any(wild).fullmatch
    if not exact:
        return lambda value: fullmatch(value) is not None
    return lambda value: value in exact or fullmatch(value) is not None


def glob_test(segments: tuple[Segment, ...], ignore_case: bool = False) -> Test:
    """A test ``value -> bool`` for a whole-string match; ``*`` spans any character, ``:`` and ``/`` too."""
    if is_exact(segments):
        exact = _text(segments)
        if ignore_case:
            lowered = exact.lower()
            return lambda value: value.lower() == lowered
        return exact.__eq__
    if segments == (("*", False),):
        return lambda value: True
    fullmatch = _compile(segments, ignore_case).fullmatch
    return lambda value: fullmatch(value) is not None


@lru_cache(maxsize=4096)
def _compile_arn(segments: tuple[Segment, ...]) -> re.Pattern[str]:
    # An ARN has six colon-separated parts; wildcards in the first five stay inside their part, in
    # the sixth (the resource, which may itself contain colons) they span anything.
    out = []
    colons = 0
    for text, literal in segments:
        for piece in re.split(r"([*?:])", text):
            if not piece:
                continue
            if piece == ":":
                colons += 1
                out.append(":")
            elif piece in ("*", "?") and not literal:
                inner = colons >= 5
                out.append((".*" if inner else "[^:]*") if piece == "*" else ("." if inner else "[^:]"))
            else:
                out.append(re.escape(piece))
    return re.compile("".join(out), re.DOTALL)


def arn_test(segments: tuple[Segment, ...]) -> Test:
    """A test for ``ArnLike``/``ArnEquals``: each of the six ARN parts is matched on its own."""
    fullmatch = _compile_arn(segments).fullmatch
    return lambda value: fullmatch(value) is not None


def plain(text: str) -> tuple[Segment, ...]:
    """The segments of a plain policy string (no variables): wildcards active."""
    return ((text, False),)
