"""IAM wildcards (``*`` any run of characters, ``?`` exactly one) matched without backtracking.

A pattern is a tuple of segments ``(text, literal)``: wildcards are active only in non-literal text.
Literal segments come from policy variables (``${*}`` is a literal ``*``; a substituted user name is
literal text).

A pattern compiles once into the chunks of plain text (with ``?`` holes) between its ``*``
characters (``PlainGlob`` when there is no ``?``, else ``Glob``). A text matches when the first
chunk is its prefix, the last chunk its suffix, and every middle chunk occurs in order, each at
its leftmost place after the one before. Placing a chunk as
far left as it goes never loses a match that a later place would give (whatever a later place
leaves for the next chunks, the leftmost leaves more), so no choice is ever revisited: there is no
backtracking and no recursion, and no regular expression is involved.

Cost, for a pattern of length P against a text of length T: at most P x T character comparisons,
all inside ``str.find``/``str.startswith`` or integer operations; the Python-level steps grow with
P only. A chunk with ``?`` holes is placed with bitmasks: for each character of the text, the set
of positions where it occurs (an integer, built once per text in O(T) steps per distinct
character); AND-ing those masks, shifted by each character's offset in the chunk, leaves every
position where the chunk fits.

ARNs (``arn_test``, ``resource_test``) are matched part by part, the six parts being split at the
first five colons; see those functions for where a ``*`` may cross a colon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

Segment = tuple[str, bool]
Test = Callable[[str], bool]

ARN_PARTS = 6  # arn:partition:service:region:account:resource (the resource may hold more colons)


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


_SHORT_TEXT = 2048  # up to here, OR-ing one bit per character is cheapest


@lru_cache(maxsize=64)
def _positions(text: str) -> dict[str, int]:
    """For each character of ``text``, the bitmask of the positions where it occurs."""
    masks: dict[str, int] = {}
    if len(text) <= _SHORT_TEXT:
        for position, char in enumerate(text):
            masks[char] = masks.get(char, 0) | (1 << position)
        return masks
    # Long text: one "0"/"1" string per distinct character, read as a binary number (linear).
    backwards = text[::-1]  # the last binary digit is bit 0, so position 0 comes last
    zeros = dict.fromkeys(map(ord, set(text)), "0")
    for char in set(text):
        table = dict(zeros)
        table[ord(char)] = "1"
        masks[char] = int(backwards.translate(table), 2)
    return masks


class Chunk:
    """Text between two ``*``: fixed characters and ``?`` holes (each exactly one character)."""

    __slots__ = ("text", "length", "pieces", "chars")

    def __init__(self, text: str, holes: tuple[int, ...] = ()) -> None:
        self.length = len(text)
        self.text = text
        # Without holes the chunk is plain text; with holes, its fixed runs (offset, text) and chars.
        self.pieces: tuple[tuple[int, str], ...] | None = None
        self.chars: tuple[tuple[int, str], ...] = ()
        if holes:
            pieces = []
            start = 0
            for hole in (*holes, self.length):
                if hole > start:
                    pieces.append((start, text[start:hole]))
                start = hole + 1
            self.pieces = tuple(pieces)
            self.chars = tuple((offset + i, char) for offset, piece in pieces for i, char in enumerate(piece))

    def at(self, text: str, position: int) -> bool:
        """Whether the chunk fits at ``position`` (the caller has checked that it is in range)."""
        if self.pieces is None:
            return text.startswith(self.text, position)
        return all(text.startswith(piece, position + offset) for offset, piece in self.pieces)

    def find(self, text: str, start: int, end: int) -> int:
        """The leftmost position ``p >= start`` with the chunk inside ``text[p:end]``, else -1."""
        if self.pieces is None:
            return text.find(self.text, start, end)
        span = end - start - self.length + 1
        if span <= 0:
            return -1
        fits = ((1 << span) - 1) << start
        masks = _positions(text)
        for offset, char in self.chars:
            fits &= masks.get(char, 0) >> offset
            if not fits:
                return -1
        return (fits & -fits).bit_length() - 1


class Glob:
    """A compiled wildcard pattern with ``?`` holes; ``match`` is a whole-string match."""

    __slots__ = ("chunks", "min_length", "needle")

    def __init__(self, chunks: list[Chunk]) -> None:
        # Empty middle chunks ("**") fit anywhere: dropping them changes nothing.
        middle = [chunk for chunk in chunks[1:-1] if chunk.length]
        self.chunks = (chunks[0], *middle, chunks[-1]) if len(chunks) > 1 else (chunks[0],)
        self.min_length = sum(chunk.length for chunk in chunks)
        # As in PlainGlob: the longest middle chunk without holes must occur somewhere.
        plain = [chunk.text for chunk in middle if chunk.pieces is None]
        self.needle = max(plain, key=len) if len(middle) > 1 and plain else ""

    def match(self, text: str) -> bool:
        chunks = self.chunks
        size = len(text)
        if size < self.min_length:
            return False
        first = chunks[0]
        if len(chunks) == 1:  # no "*": the text is exactly the one chunk
            return size == first.length and first.at(text, 0)
        last = chunks[-1]
        end = size - last.length
        if not (first.at(text, 0) and last.at(text, end)):
            return False
        position = first.length
        if self.needle and text.find(self.needle, position, end) < 0:
            return False
        for chunk in chunks[1:-1]:
            found = chunk.find(text, position, end)
            if found < 0:
                return False
            position = found + chunk.length
        return True


class PlainGlob:
    """A compiled wildcard pattern without ``?``: the chunks are plain strings (the common case)."""

    __slots__ = ("first", "last", "middle", "min_length", "starred", "needle")

    def __init__(self, chunks: list[str]) -> None:
        # Empty middle chunks ("**") fit anywhere: dropping them changes nothing.
        self.first, self.last = chunks[0], chunks[-1]
        self.middle = tuple(chunk for chunk in chunks[1:-1] if chunk)
        self.min_length = sum(len(chunk) for chunk in chunks)
        self.starred = len(chunks) > 1
        # One C-level test before walking several chunks: the longest must occur somewhere.
        self.needle = max(self.middle, key=len) if len(self.middle) > 1 else ""

    def match(self, text: str) -> bool:
        if not self.starred:
            return text == self.first
        if len(text) < self.min_length or not (text.startswith(self.first) and text.endswith(self.last)):
            return False
        position = len(self.first)
        end = len(text) - len(self.last)
        if self.needle and text.find(self.needle, position, end) < 0:
            return False
        for chunk in self.middle:
            position = text.find(chunk, position, end)
            if position < 0:
                return False
            position += len(chunk)
        return True


@lru_cache(maxsize=8192)
def compile_glob(segments: tuple[Segment, ...]) -> Glob | PlainGlob:
    if not any("?" in text and not literal for text, literal in segments):
        plain_chunks = [""]
        for text, literal in segments:
            if literal or "*" not in text:
                plain_chunks[-1] += text
            else:
                pieces = text.split("*")
                plain_chunks[-1] += pieces[0]
                plain_chunks.extend(pieces[1:])
        return PlainGlob(plain_chunks)
    chunks: list[Chunk] = []
    texts: list[str] = []  # of the chunk being built
    holes: list[int] = []
    size = 0
    for text, literal in segments:
        pieces = [text] if literal else text.split("*")
        for index, piece in enumerate(pieces):
            if index:  # a "*" came before this piece: the chunk so far is complete
                chunks.append(Chunk("".join(texts), tuple(holes)))
                texts, holes, size = [], [], 0
            if not literal:
                hole = piece.find("?")
                while hole >= 0:
                    holes.append(size + hole)
                    hole = piece.find("?", hole + 1)
            texts.append(piece)
            size += len(piece)
    chunks.append(Chunk("".join(texts), tuple(holes)))
    return Glob(chunks)


def is_exact(segments: tuple[Segment, ...]) -> bool:
    if len(segments) == 1:  # the common case: one plain string
        text, literal = segments[0]
        return literal or not ("*" in text or "?" in text)
    return all(literal or not has_wildcard(text) for text, literal in segments)


def _text(segments: tuple[Segment, ...]) -> str:
    return segments[0][0] if len(segments) == 1 else "".join(text for text, _ in segments)


def _always(value: str) -> bool:
    return True


def glob_test(segments: tuple[Segment, ...], ignore_case: bool = False) -> Test:
    """A test ``value -> bool`` for a whole-string match; ``*`` spans any character, ``:`` and ``/`` too.

    With ``ignore_case`` both sides are lower-cased (IAM action names are ASCII).
    """
    if ignore_case:
        segments = tuple((text.lower(), literal) for text, literal in segments)
    if is_exact(segments):
        exact = _text(segments)
        if ignore_case:
            return lambda value: value.lower() == exact
        return exact.__eq__
    if segments == (("*", False),):
        return _always
    match = compile_glob(segments).match
    if ignore_case:
        return lambda value: match(value.lower())
    return match


# -- ARNs: six colon-separated parts ----------------------------------------------------------------


def _plain_head_exact(segments: tuple[Segment, ...]) -> bool:
    """Fast path for one plain string: no wildcard before its fifth colon (the common ARN pattern)."""
    if len(segments) != 1 or segments[0][1]:
        return False
    head = segments[0][0].split(":", ARN_PARTS - 1)
    return len(head) == ARN_PARTS and not any(has_wildcard(part) for part in head[:-1])


def _arn_parts(segments: tuple[Segment, ...]) -> list[tuple[Segment, ...]]:
    """Split a pattern at its first five colons (literal colons count: ``:`` is never a wildcard)."""
    parts: list[list[Segment]] = [[]]
    for text, literal in segments:
        while len(parts) < ARN_PARTS and ":" in text:
            before, _, text = text.partition(":")
            parts[-1].append((before, literal))
            parts.append([])
        parts[-1].append((text, literal))
    return [tuple(part) for part in parts]


def _ends_with_star(part: tuple[Segment, ...]) -> bool:
    for text, literal in reversed(part):
        if text:
            return not literal and text.endswith("*")
    return False


def _part_is_exact(part: tuple[Segment, ...]) -> bool:
    return all(literal or not has_wildcard(text) for text, literal in part)


def _span(parts: list[tuple[Segment, ...]]) -> int | None:
    """The first part whose ``*`` may run on across colons (Resource element), if any."""
    last = len(parts) - 1
    for index, part in enumerate(parts):
        if _ends_with_star(part) and (index < last or len(parts) < ARN_PARTS):
            return index
    return None


def _leading_exact(parts: list[tuple[Segment, ...]], cut: int | None) -> bool:
    """Whether the parts before ``cut`` (default: before the fifth colon) hold no wildcard. Then
    part-by-part matching is whole-string matching: the colons of that literal prefix are the
    value's first colons, and what follows may run on across colons anyway."""
    if cut is None:
        cut = ARN_PARTS - 1 if len(parts) == ARN_PARTS else len(parts)
    return all(_part_is_exact(part) for part in parts[:cut])


def _joined(parts: Iterable[tuple[Segment, ...]]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for index, part in enumerate(parts):
        if index:
            out.append((":", True))
        out.extend(part)
    return tuple(out)


def _parts_test(strict: list[Glob | PlainGlob], rest: Glob | PlainGlob | None) -> Test:
    """``strict`` globs for the leading parts, one each; ``rest`` (if any) for all that follows."""
    if rest is None:
        count = len(strict)

        def whole(value: str) -> bool:
            values = value.split(":", ARN_PARTS - 1)
            return len(values) == count and all(glob.match(part) for glob, part in zip(strict, values, strict=False))

        return whole
    cut = len(strict)
    remainder = rest

    def spanning(value: str) -> bool:
        values = value.split(":", cut)
        if len(values) != cut + 1:
            return False
        return all(glob.match(part) for glob, part in zip(strict, values, strict=False)) and remainder.match(
            values[cut]
        )

    return spanning


@lru_cache(maxsize=4096)
def arn_test(segments: tuple[Segment, ...]) -> Test:
    """``ArnEquals``/``ArnLike``: each of the six parts is matched on its own; a wildcard in one of the
    first five parts never crosses a colon (the sixth, the resource, may hold colons of its own)."""
    if _plain_head_exact(segments):
        return glob_test(segments)
    parts = _arn_parts(segments)
    if _leading_exact(parts, None):
        return glob_test(segments)
    return _parts_test([compile_glob(part) for part in parts], None)


@lru_cache(maxsize=4096)
def resource_test(segments: tuple[Segment, ...]) -> Test:
    """The Resource element: wildcards stay inside their ARN part, except that a ``*`` ending one of
    the first five parts may run on across colons (the IAM User Guide's Resource page says so)."""
    if segments == (("*", False),):
        return _always
    if _plain_head_exact(segments):
        return glob_test(segments)
    parts = _arn_parts(segments)
    span = _span(parts)
    if _leading_exact(parts, span):
        return glob_test(segments)
    if span is None:
        return _parts_test([compile_glob(part) for part in parts], None)
    return _parts_test([compile_glob(part) for part in parts[:span]], compile_glob(_joined(parts[span:])))


def _prefix(segments: tuple[Segment, ...]) -> str | None:
    """The prefix of a plain ``prefix*`` pattern (one trailing ``*``, no other wildcard), else None."""
    if len(segments) != 1 or segments[0][1]:
        return None
    text = segments[0][0]
    if text.endswith("*") and not has_wildcard(text[:-1]):
        return text[:-1]
    return None


_INDEX_FROM = 16  # wildcard patterns in one list; below this, trying each in turn is cheaper
_WINDOWS_PER_TRY = 8  # slicing a window of a value costs about an eighth of trying one pattern


def _required(segments: tuple[Segment, ...]) -> str:
    """The longest run of fixed characters in a pattern: every text it matches contains it."""
    runs = [""]
    for text, literal in segments:
        if literal:
            runs[-1] += text
            continue
        pieces = text.replace("?", "*").split("*")
        runs[-1] += pieces[0]
        runs.extend(pieces[1:])
    return max(runs, key=len)


def _indexed(pairs: list[tuple[str, Test]]) -> Test:
    """Any of many patterns, without trying each one: patterns are filed under a text they require,
    and a value tries only those whose required text it contains (found by intersecting the
    value's windows of each required length with the file). When slicing the windows would cost
    more than trying every pattern (a window costs far less than a try: ``_WINDOWS_PER_TRY``),
    every pattern is tried."""
    always = tuple(each for need, each in pairs if not need)
    files: dict[int, dict[str, list[Test]]] = {}
    for need, each in pairs:
        if need:
            files.setdefault(len(need), {}).setdefault(need, []).append(each)
    filed = tuple(each for need, each in pairs if need)
    lengths = sorted(files.items())
    budget = _WINDOWS_PER_TRY * len(filed)

    def test(value: str) -> bool:
        if any(each(value) for each in always):
            return True
        size = len(value)
        if sum(size - length + 1 for length, _ in lengths if length <= size) >= budget:
            return any(each(value) for each in filed)
        for length, file in lengths:
            if length > size:
                break
            windows = {value[start : start + length] for start in range(size - length + 1)}
            for need in file.keys() & windows:
                if any(each(value) for each in file[need]):
                    return True
        return False

    return test


def any_test(patterns: list[tuple[Segment, ...]], resource: bool = False) -> Test:
    """One test for "matches any of these patterns" (case-sensitive): a set lookup for the exact ones,
    one ``startswith`` for the ``prefix*`` ones, then the other patterns: each in turn, or when there
    are many, only those whose required text the value contains (``resource``: ARN parts as for the
    Resource element)."""
    if (("*", False),) in patterns:
        return _always
    exact_texts: list[str] = []
    prefix_list: list[str] = []
    pairs: list[tuple[str, Test]] = []
    for segments in patterns:
        prefix = _prefix(segments)
        if is_exact(segments):
            exact_texts.append(_text(segments))
        elif prefix is not None:  # for a Resource too: a final "*" may run on across colons
            prefix_list.append(prefix)
        else:
            pairs.append((_required(segments), resource_test(segments) if resource else glob_test(segments)))
    exact = frozenset(exact_texts)
    prefixes = tuple(prefix_list)
    if not pairs:
        if not prefixes:
            return exact.__contains__
        if not exact:
            return lambda value: value.startswith(prefixes)
        return lambda value: value in exact or value.startswith(prefixes)
    if len(pairs) == 1 and not exact and not prefixes:
        return pairs[0][1]
    if len(pairs) >= _INDEX_FROM:
        many = _indexed(pairs)
        return lambda value: value in exact or value.startswith(prefixes) or many(value)
    wild = tuple(test for _, test in pairs)
    return lambda value: value in exact or value.startswith(prefixes) or any(test(value) for test in wild)


def plain(text: str) -> tuple[Segment, ...]:
    """The segments of a plain policy string (no variables): wildcards active."""
    return ((text, False),)
