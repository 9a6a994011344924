"""Where a project writes names: its text in pieces with their places, word counts, the bible's names."""

from __future__ import annotations

import array
import bisect
import functools
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit import parallel
from toolkit.config import Config
from toolkit.model import (
    PROSE_KINDS,
    Action,
    Chapter,
    Character,
    Dialogue,
    Element,
    Project,
    RichText,
    Section,
    Span,
    Synopsis,
    plain,
    speakers,
)
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.name_evidence import NOT_NAMES, TITLES, WORD, word_counts

_MIN_LENGTH = 4  # shorter names (Jo, Ann, Eve) are too close to each other to be models
_MIN_VARIANT = 3  # but "Jne" is still Jane mistyped
# The word before a place in a name ("Antipholus of Syracuse", "the Duke of Milan"): the bible
# names its characters, not the places they are of (see ``_Judge.bible_name``).
_PLACE_BEFORE = {"en": "of"}
# Before "of", a title names its holder by the place: the Duke of York is "York".
_RANKS = TITLES | frozenset("archbishop bishop cardinal abbot marquess marquis viscount thane".split())
_CUE_WORDS = 6  # a cue of more words is a line of shouted dialogue or action, not a name
# Marks that end or break a sentence: a "cue" holding one is a line in capitals that the Fountain
# parser read as a cue ("WINDOW, WHATEVER YOU DO, DO NOT", "DID -- LOOK OR I'LL CUT").
_SENTENCE_MARKS = (",", "!", "?", ";", "--", "—", "…")
NAME_WORDS = "name words"  # what name_stats keeps in the memo per group (a chapter, a scene file): its words


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of text where names may appear, and where its first character is."""

    span: Span
    text: str
    # Where the source holds emphasis marks the text lacks ("*Did you know Brick and Steel*"):
    # (offset in ``text``, source characters before it that ``text`` lacks), in order.
    marks: tuple[tuple[int, int], ...] = ()

    def at(self, offset: int) -> Span:
        """The source place of ``text[offset]``, past the emphasis marks before it."""
        extra = 0
        for where, width in self.marks:
            if where > offset:
                break
            extra = width
        span = place_in(self.span, self.text, offset)
        return Span(span.path, span.line, span.col + extra) if extra else span


# The source width of each emphasis style's marks in Fountain: **bold**, *italic*, _underline_.
_MARK_WIDTHS = (2, 1, 1)


def _marks(rich: RichText, lead: int) -> tuple[tuple[int, int], ...]:
    """The emphasis marks of a line of rich text (see ``Piece.marks``), for its text with its
    first ``lead`` characters (white space) stripped: where the style changes, the source closes
    and opens marks that the plain text lacks."""
    if all(not (run.bold or run.italic or run.underline) for run in rich):
        return ()
    marks: list[tuple[int, int]] = []
    offset = extra = 0
    previous = (False, False, False)
    for run in rich:
        styles = (run.bold, run.italic, run.underline)
        changed = sum(width for was, now, width in zip(previous, styles, _MARK_WIDTHS, strict=True) if was != now)
        if changed:
            extra += changed
            marks.append((max(0, offset - lead), extra))
        offset += len(run.text)
        previous = styles
    return tuple(marks)


@dataclass
class NameStats:
    """What the text says about names: every piece of text, counts, and the bible's names."""

    groups: list[_GroupWords]  # each chapter's and scene file's pieces of text, in reading order
    joined: str  # every piece, joined by newlines, for one fast scan
    starts: list[int]  # offset of each group's text in ``joined``
    counts: Counter[str]  # capitalised words (capitals folded to title case) -> uses
    lower: set[str]  # every word the text writes in lower case
    lower_counts: dict[str, int]  # those words -> how often
    named: set[str]  # spellings written in mixed case somewhere, or used in a cue
    bible: dict[str, Character]  # a name word of the bible (title case) -> its character
    ok: frozenset[str]  # never a variant: names_ok
    cues: list[tuple[Dialogue, str]]  # every speech with its cue key ("DR OKAFOR")
    language: str = "en"  # the language's code: "en", "de"
    distinct: frozenset[tuple[str, str]] = frozenset()  # pairs of words the bible keeps apart (both orders)
    cue_words: frozenset[str] = frozenset()  # words of cues, title case: "Okonkwo"
    capitals: frozenset[str] = frozenset()  # words written only in capitals in screenplay action ("ESTEFAN")
    scenes: tuple[frozenset[str], ...] = ()  # the cue keys that speak in each screenplay scene
    # Words the bible's names have only after "of": the place of "Antipholus of Syracuse".
    bible_places: frozenset[str] = frozenset()

    def speakers_at(self, offsets: Iterable[int]) -> set[str]:
        """The cue keys whose speeches hold these offsets of ``joined`` ("" for one outside speech)."""
        lines = self._speech_lines
        return {lines.get((place := self.place(offset)).path, {}).get(place.line, "") for offset in offsets}

    def spoken(self, key: str) -> Iterator[str]:
        """The lower-case words spoken under a cue, in every speech."""
        for speaker, cue in self.cues:
            if cue == key:
                for line in speaker.lines:
                    yield from (word for word in WORD.findall(plain(line.text)) if word.islower())

    @functools.cached_property
    def _speech_lines(self) -> dict[str, dict[int, str]]:
        """Each file's lines of speech -> the cue key they are spoken under (the last one's), by
        file then line: no (path, line) tuple for each of a script's lines of speech."""
        lines: dict[str, dict[int, str]] = {}
        for speaker, key in self.cues:
            for line in speaker.lines:
                lines.setdefault(line.span.path, {})[line.span.line] = key
        return lines

    def word_starts(self, pattern: re.Pattern[str], spoken: bool, spellings: Iterable[str]) -> Iterator[int]:
        """Where ``pattern`` (of ``spellings`` as words, as written or in capitals) matches in
        ``joined`` as a word starts (not right after a letter, a digit or "_"), in reading order:
        in the files where a speech may be (``spoken``: the screenplay's) or in the others
        (chapters, where no cue's line is). Each group's text is read alone, which finds what
        reading ``joined`` finds there: the newline between two groups is no letter, and a
        pattern of words matches no newline; and only the groups holding a spelling
        (``groups_holding``)."""
        held = set(self.groups_holding(spellings))
        for index in self._spoken_groups[not spoken]:
            if index not in held:
                continue
            start, text = self.starts[index], self.groups[index].joined
            for match in pattern.finditer(text):
                at = match.start()
                if not at or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                    yield start + at

    def holding(self, spellings: Iterable[str]) -> list[tuple[int, str]]:
        """Each group's offset in ``joined`` and text, of the groups holding one of ``spellings``
        (``groups_holding``), in reading order."""
        return [(self.starts[index], self.groups[index].joined) for index in self.groups_holding(spellings)]

    def matches(self, pattern: re.Pattern[str], spellings: Iterable[str]) -> Iterator[tuple[int, int, str]]:
        """Each match of ``pattern`` (of ``spellings`` as words, as written or in capitals), as its
        start and end in ``joined`` and its text, in reading order: only the groups holding a
        spelling are read (``holding``), the same matches as a scan of ``joined`` where no letter
        or digit comes right before (the callers ask that)."""
        for begin, text in self.holding(spellings):
            for match in pattern.finditer(text):
                yield begin + match.start(), begin + match.end(), match.group()

    def groups_holding(self, spellings: Iterable[str]) -> list[int]:
        """The groups (by index, in reading order) whose words (their counts, made with the group)
        hold one of ``spellings`` as written or in capitals. A scan for the spellings as words (no
        letter or digit right before, no letter right after) finds them in these groups alone:
        such a use is a run of letters of its own, which the group's count holds. Most of a long
        text is left unread for rare names."""
        found: set[int] = set()
        for form in {form for spelling in spellings for form in (spelling, spelling.upper())}:
            found.update(self._groups_with(form))
        return sorted(found)

    def _groups_with(self, form: str) -> list[int]:
        """The groups (by index) whose words hold ``form``, looked for once: the rules ask about
        the same spellings again and again (on the published million, 287 asks of 111 spellings)."""
        held = self._held.get(form)
        if held is None:
            # One look-up a group: a view of each group's words to test against the forms took
            # two-thirds longer.
            held = self._held[form] = [index for index, group in enumerate(self.groups) if form in group.words]
        return held

    @functools.cached_property
    def _held(self) -> dict[str, list[int]]:
        """``_groups_with``'s answers, by form."""
        return {}

    @functools.cached_property
    def _spoken_groups(self) -> tuple[list[int], list[int]]:
        """The groups (by index, in reading order) of the screenplay's files, then of the chapters
        (a chapter whose file some cue's line names, if one ever did, is read with the first)."""
        speech_paths = self._speech_lines.keys()
        spoken: list[int] = []
        unspoken: list[int] = []
        for index, group in enumerate(self.groups):
            chapters = all(isinstance(part, Chapter) and part.span.path not in speech_paths for part in group.parts)
            (unspoken if chapters else spoken).append(index)
        return spoken, unspoken

    def cast(self, word: str) -> tuple[int, frozenset[str]]:
        """In how many scenes a cue holding ``word`` (title case) speaks, and the cues that
        speak beside it there: the company a speaker keeps on stage."""
        upper = word.upper()
        scenes = [keys for keys in self.scenes if any(upper in WORD.findall(key) for key in keys)]
        beside = {key for keys in scenes for key in keys if upper not in WORD.findall(key)}
        return len(scenes), frozenset(beside)

    def candidates(self) -> dict[str, int]:
        """Capitalised words that may be names: never written in lower case, not a month."""
        return dict(self._candidates)  # a copy: callers add to it

    @functools.cached_property
    def _candidates(self) -> dict[str, int]:
        # Worked out once: the rules ask five times (~10 ms each on a million words).
        return {
            word: uses
            for word, uses in self.counts.items()
            if len(word) >= _MIN_VARIANT and word.lower() not in self.lower and word not in NOT_NAMES
        }

    def models(self) -> dict[str, int]:
        """The candidates long enough to be a name others are mistyped from."""
        return {word: uses for word, uses in self.candidates().items() if len(word) >= _MIN_LENGTH}

    def path_at(self, offset: int) -> str:
        """The file of an offset in ``joined``: ``place(offset).path``, without the pieces of its
        group laid out again (a group's pieces are all of its one file)."""
        return self.groups[bisect.bisect_right(self.starts, offset) - 1].parts[0].span.path

    def place(self, offset: int) -> Span:
        """The source place of an offset in ``joined``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        group = self.groups[index]
        offset -= self.starts[index]
        index = bisect.bisect_right(group.starts, offset) - 1
        return group.piece(index).at(offset - group.starts[index])


def place_in(span: Span, text: str, offset: int) -> Span:
    """Where ``text[offset]`` is, given that ``text`` starts at ``span``."""
    before = text[:offset]
    newline = before.rfind("\n")
    if newline < 0:
        return Span(span.path, span.line, span.col + offset)
    return Span(span.path, span.line + before.count("\n"), offset - newline)


def name_stats(
    project: Project, config: Config, skip: frozenset[str] = frozenset(), memo: PartMemo | None = None
) -> NameStats:
    """What the project's text says about names; files in ``skip`` (mojibake) are left out.
    Each chapter's and scene file's pieces and words are worked out once while it stays the
    same (``memo``), then put together in reading order."""
    memo = memo if memo is not None else PartMemo()
    starts: list[int] = []
    texts: list[str] = []
    parts: list[_GroupWords] = []
    position = 0
    groups = [group for group in piece_groups(project) if group.path not in skip]
    counted = _counted([group for group in groups if not memo.holds(NAME_WORDS, group.parts)])
    for group in groups:
        made = counted.get(id(group))
        part = memo.get(NAME_WORDS, group.parts, functools.partial(_group_words, group) if made is None else made)
        if not part.starts:
            continue  # no pieces
        starts.append(position)
        position += len(part.joined) + 1
        texts.append(part.joined)
        parts.append(part)
    joined = "\n".join(texts)
    words = _words_of(parts, memo)
    cues = [
        (speaker, speaker.name)
        for element in (project.screenplay.elements if project.screenplay else ())
        for speaker in speakers(element)
        if names_someone(speaker.name)
    ]
    for _, key in cues:
        words.update(WORD.findall(key))
    counts: Counter[str] = Counter()
    # Capitals alone do not make a name: action writes sounds and props that way too (a BOOM
    # beside a character called Bloom). A spelling is a name when it is written in mixed case
    # somewhere, or is a cue; one written only in capitals is judged against cues and the
    # bible alone (see names.find_variants).
    cue_words = {word.title() for _, key in cues for word in WORD.findall(key)}
    named = set(cue_words)
    capitals: set[str] = set()
    for word, uses in words.items():
        if word[0].isupper():
            upper = len(word) > 1 and word.isupper()
            counts[word.title() if upper else word] += uses
            if upper:
                capitals.add(word.title())
            else:
                named.add(word)
    bible: dict[str, Character] = {}
    distinct: set[tuple[str, str]] = set()
    of = _PLACE_BEFORE.get(config.language.split("-")[0].lower())
    places: set[str] = set()
    not_places: set[str] = set()
    for character in project.characters:
        own: set[str] = set()
        for form in character.names:
            said = [word.title() if word.isupper() else word for word in WORD.findall(form)]
            own.update(said)
            for title, before, word in zip(["", "", *said], ["", *said], said, strict=False):
                place = of is not None and before.lower() == of and title.lower() not in _RANKS
                (places if place else not_places).add(word)
        own = {word for word in own if word.lower() not in TITLES}
        for word in sorted(own):
            bible.setdefault(word, character)
        # 'distinct' keeps the other person's words apart from this one's, and no more: the
        # words the two share (Morales in Ana and Pedro Morales) are still checked.
        others = {word for name in character.distinct for word in WORD.findall(name)} - own
        distinct.update((a, b) for a in others for b in own)
        distinct.update((b, a) for a in others for b in own)
    lower_counts = {word: uses for word, uses in words.items() if word.islower()}
    return NameStats(
        parts,
        joined,
        starts,
        counts,
        set(lower_counts),
        lower_counts,
        named,
        bible,
        frozenset(config.check.names_ok),
        cues,
        config.language.split("-")[0].lower(),
        frozenset(distinct),
        frozenset(cue_words),
        frozenset(capitals - named),
        _scenes(project),
        frozenset(places - not_places),
    )


def _scenes(project: Project) -> tuple[frozenset[str], ...]:
    """The cue keys that speak in each scene of the screenplay (those that name someone)."""
    if project.screenplay is None:
        return ()
    scenes = []
    for scene in project.screenplay.scenes:
        keys = (speaker.name for element in scene.elements for speaker in speakers(element))
        scenes.append(frozenset(filter(names_someone, keys)))
    return tuple(scenes)


def names_someone(key: str) -> bool:
    """Whether a cue key can be the name of a speaker (or speakers: "TROY / BRITTA"): not a line of
    dialogue or action in capitals, which holds sentence marks or too many words."""
    return not any(mark in key for mark in _SENTENCE_MARKS) and len(key.split()) <= _CUE_WORDS


def joint_speakers(key: str) -> list[str]:
    """The speakers a joint cue names, each as a key: "TROY / BRITTA AND SHIRLEY" -> three."""
    for mark in ("/", "&", "+"):
        key = key.replace(mark, " AND ")
    return [part.strip() for part in f" {' '.join(key.split())} ".split(" AND ") if part.strip()]


def pieces(project: Project) -> Iterator[Piece]:
    """Prose as read (comments and markup blanked, code left out), action, and spoken lines."""
    for group in piece_groups(project):
        yield from group.pieces()


def _chapter_pieces(chapter: Chapter) -> Iterator[Piece]:
    for block in chapter.blocks:
        if block.kind in PROSE_KINDS:
            yield Piece(Span(block.span.path, block.span.line), block.text)


def _element_pieces(element: Element) -> Iterator[Piece]:
    if isinstance(element, Action):
        for number, line in enumerate(element.lines):
            text = plain(line)
            lead = len(text) - len(text.lstrip())
            col = element.span.col if number == 0 else 1 + lead
            yield Piece(Span(element.span.path, element.span.line + number, col), text.strip(), _marks(line, lead))
    elif isinstance(element, Synopsis | Section):
        # The writer's own prose about the scene: a name misspelt there is a slip too ("= Baxtre
        # finds the card" for Baxter). It is read from where its text starts, after "#" or "=".
        span = element.span
        yield Piece(Span(span.path, span.line, element.text_col or span.col), element.text)
    for speaker in speakers(element):
        for spoken in speaker.lines:
            text = plain(spoken.text)
            yield Piece(spoken.span, text.strip(), _marks(spoken.text, len(text) - len(text.lstrip())))


@dataclass(frozen=True)
class PieceGroup:
    """The parts of the project one file gave (a chapter, or a scene file's elements)."""

    path: str
    parts: tuple[Chapter, ...] | tuple[Element, ...]

    def pieces(self) -> Iterator[Piece]:
        for part in self.parts:
            yield from _part_pieces(part)


def _part_pieces(part: Chapter | Element) -> Iterator[Piece]:
    return _chapter_pieces(part) if isinstance(part, Chapter) else _element_pieces(part)


@dataclass(frozen=True)
class _GroupWords:
    """One group's pieces, their text joined by newlines, where each starts, and its words."""

    parts: tuple[Chapter, ...] | tuple[Element, ...]
    joined: str
    # Where each piece's text starts in ``joined``, and the index of each part's first piece:
    # machine integers (arrays), not lists of int objects (a 5 MB script has 120,000 pieces).
    starts: Sequence[int]
    firsts: Sequence[int]
    words: Counter[str]

    def piece(self, index: int) -> Piece:
        """The piece at ``index``, laid out again from its part alone where a place is asked for:
        the words are often counted in another process (toolkit/loader.py), and only ``joined``,
        ``starts`` and the words come back; and a whole script's pieces laid out at once, to place
        a few names, were the largest thing a check held (issue 16). The last part laid out is
        kept: places are asked for in reading order, several in one chapter."""
        part = bisect.bisect_right(self.firsts, index) - 1
        laid = self._laid
        if laid[0] != part:
            laid[:] = part, list(_part_pieces(self.parts[part]))
        pieces: list[Piece] = laid[1]
        return pieces[index - self.firsts[part]]

    @functools.cached_property
    def _laid(self) -> list[Any]:
        """The part last laid out by ``piece``: its index (-1: none yet), then its pieces."""
        return [-1, []]


def _words_of(parts: list[_GroupWords], memo: PartMemo) -> Counter[str]:
    """Every group's words counted together, in the order a count over the whole text gives
    (each word where it first appears). The totals are the last check's, less the groups gone
    and plus the groups new (``memo``); the order is found by adding the groups' words in
    reading order, which dict.update does in C."""
    last: tuple[dict[int, _GroupWords], dict[str, int]] | None = memo.carried.get("name words")
    now = {id(part): part for part in parts}
    if last is None or len(last[0].keys() - now.keys()) + len(now.keys() - last[0].keys()) > len(parts) // 2:
        # Counted afresh: every group's words added in reading order, so the totals are in the
        # order of first use themselves (no count is ever 0, and none is taken away).
        totals: dict[str, int] = {}
        for part in parts:
            known = totals.get
            for word, uses in part.words.items():
                totals[word] = known(word, 0) + uses
        memo.carried["name words"] = (now, totals)
        return Counter(totals)
    totals = dict(last[1])
    gone = [(last[0][key], -1) for key in last[0].keys() - now.keys()]
    changes = gone + [(now[key], 1) for key in now.keys() - last[0].keys()]
    for part, sign in changes:
        known = totals.get
        for word, uses in part.words.items():
            total = known(word, 0) + sign * uses
            if total:
                totals[word] = total
            else:
                del totals[word]
    memo.carried["name words"] = (now, totals)
    order: dict[str, int] = {}
    for part in parts:
        order.update(part.words)
    return Counter({word: totals[word] for word in order})


def group_words(parts: tuple[Chapter, ...] | tuple[Element, ...]) -> _GroupWords:
    """What ``name_stats`` works out and keeps (``NAME_WORDS``) for the group of ``parts`` (a chapter,
    or a scene file's elements): worked out where the file is parsed when that is on two cores
    (toolkit/loader.py), and put in the memo the story's checks then read."""
    return _group_words(PieceGroup(parts[0].span.path if parts else "", parts))


def _group_words(group: PieceGroup) -> _GroupWords:
    joined, starts, firsts = _laid_out(group)
    return _GroupWords(group.parts, joined, starts, firsts, word_counts(joined))


def _laid_out(group: PieceGroup) -> tuple[str, array.array[int], array.array[int]]:
    """The group's pieces' text joined by newlines, where each piece starts in it, and the index
    of each part's first piece (see ``_GroupWords``)."""
    texts: list[str] = []
    firsts = array.array("q")
    for part in group.parts:
        firsts.append(len(texts))
        texts.extend(piece.text for piece in _part_pieces(part))
    starts = array.array("q", itertools.accumulate((len(text) + 1 for text in texts[:-1]), initial=0) if texts else ())
    return "\n".join(texts), starts, firsts


def _counted(groups: list[PieceGroup]) -> dict[int, Callable[[], _GroupWords]]:
    """Each group's ``_group_words`` (by the group's identity), their words counted on two cores
    where the text is large (toolkit/parallel.py): the groups are laid out here, each group's
    words counted in one process or the other, largest first; the counts come back in order."""
    laid = [_laid_out(group) for group in groups]
    size = sum(len(joined) for joined, _, _ in laid)
    jobs = [functools.partial(word_counts, joined) for joined, _, _ in laid]
    if size >= parallel.CONCURRENT_CHARACTERS:
        counts = parallel.each(jobs, sorted(range(len(jobs)), key=lambda index: -len(laid[index][0])), size)
    else:
        counts = [job() for job in jobs]
    return {
        id(group): _made(_GroupWords(group.parts, joined, starts, firsts, words))
        for group, (joined, starts, firsts), words in zip(groups, laid, counts, strict=True)
    }


def _made(value: _GroupWords) -> Callable[[], _GroupWords]:
    return lambda: value


def piece_groups(project: Project) -> Iterator[PieceGroup]:
    """The project's parts in reading order, a chapter alone, a scene file's elements together."""
    for chapter in project.chapters:
        yield PieceGroup(chapter.span.path, (chapter,))
    if project.screenplay is None:
        return
    for path, elements in itertools.groupby(project.screenplay.elements, key=operator.attrgetter("span.path")):
        yield PieceGroup(path, tuple(elements))
