"""Which spellings are typos of a character's name, judged from the evidence of the text.

A spelling is a variant of another (its model) when the two are near misses (rapidfuzz's
optimal-string-alignment distance: one edit, or two in names of eight letters or more) and
the evidence says typo:

- The model is a character: a cue, a bible name, a word that speaks or acts ("said Emma",
  "Ahab went"), that follows a title ("Mr. Fennell") or a given name or initial, or is itself a
  real given name. Nantucket, London and Peru are none of these, so nothing is their typo. Nor
  is a word of a cue that the text writes in lower case as often as with a capital, a word of
  the language no list of names knows ("Here" of a line an edition sets as a speaker, HERE STAND
  I, beside "here" written 300 times: "Herne the hunter" misses no name; LION beside "the
  lion": nor does "Ilion"). A place a bible name is "of" names no one ("Antipholus of
  Syracuse"; not "the Duke of York", a title): ``_Judge.bible_name``.
- Nothing says the variant is someone or something else: it is not used with a given name or
  title the model never has ("Sir Thomas Baker" beside Mr. Barker, "G. A. Henty" beside
  Henry), it is not a woman's given name where the model is a man's or the other way round
  (Joan beside John, Frances beside Francis: data/), unless it is written with the model's
  surname, title or given name; it is not a cue's word the text writes in lower case too, a
  word of the language and no name (GENTLEWOMAN beside "a gentlewoman", near GENTLEMAN),
  it is not a plural of the model ("the Hallorans"), not a common word of the
  project's language ("When" beside Wren; any capitalised word of German, where nouns are
  capitalised: "Daumen" beside Dauman), not pointed at by its sentence ("Smyth instead of
  Smith", "[sic]"), it is not a place where the model is a person or the other way round
  ("in Gibeon" beside "Gideon said", the child in "the sons of Cush: Seba, Raamah" beside
  a Ramah people go to), it has no father, people or role of its own the model never has
  ("Jobab, the son of Zerah", "Hirah the Adullamite", "Shebna the scribe"), and the bible
  does not keep the two apart (``distinct``, both in it), and it does not name the people of
  another name of the text ("Hezronites" of Hezron beside Hebronites), and how it is written does
  not make it another word (a ship after "the", a place before "castle", a plural in "-men", an
  adjective, a word at the start of a line of verse, a verb with its pronoun or its object:
  see ``_Judge.written_as_another``), it is not a name said twice running ("'Thisne, Thisne'":
  ``_Judge.repeated``) nor one in a quotation of another language ("Hic steterat Priami":
  ``_Judge.quoted_tongue``), and it is not spoken only by speakers of a dialect who say the
  name so at least as often as right (Fluellen's "Saint Tavy" for Davy, in speeches that write
  his b as p in "prave pattle", "plood", "pridge" and more: ``_Judge.in_dialect``).
- The uses of the two agree: a slip is typed where the name is meant, so it is not missing
  from a phrase the name is nearly always written in ("the children of Ammon" beside "Amnon",
  "Obed-edom" beside "Oded"), and it is not written once or twice only as an item of a list of
  names beside a name typed fewer than 20 times and not in the bible (a roll, a genealogy); nor
  written once or twice, each time in a list of names whose end says what they are ("And
  Adaiah, and Beraiah, and Shimrath, the sons of Shimhi"; "…, and Tobijah, and Tob-adonijah,
  Levites"; "…, and Balah, … and Sharuhen; thirteen cities"), beside any name, unless it makes
  letters no name of the text has (``_Judge.list_named``).
  A spelling the text names a people after where it names none after the model ("the
  Shaulites" beside Saul), or written twice, both times beside a name the model is never
  beside (a name copied with its company), is a name of its own. So is a spelling written once
  as the parent of a named child or with a rank ("Geuel the son of Machi", "Horam king of
  Gezer"), or, among crowded names, as an item of a list or (beside a minor name) in a sentence
  of three names, where its sentence holds only names the model is never written with
  (``_Judge.stranger``; not for a bible name or cue).
- The counts agree: the model is used at least three times as often (or is a bible name).
  A typo in the first or last letter needs more ("Carvet" for a Carver used 150 times): the
  model used 8 times or more (5, for a spelling used once that no list knows), the variant
  twice at most (or beside a bible name used four times as often, unless the text writes the
  spelling more often than the name: "Cressid" 35 times beside 13 "Cressida" and her 163 cues
  is how the lines say her name), not the
  model's Latin form ("Valentinus" beside Valentine, two edits), and the variant no real given
  name or surname (data/: "Mario" beside Maria stays a person) unless it shares the model's
  title or given name ("Mr. Fennel's" beside Mr. Fennell). A slip of one edit is one of the
  uses the writer typed: the model's uses and the slip's together reach the count ("Joh" once
  beside a John written four times: ``_Judge.enough_uses``).
- Some evidence speaks for the slip over an objection above: a spelling used once whose letters
  no name of the text has and hardly a real name has, beside one name the model never keeps
  ("Samuel Ojhnson" where Johnson is always "Dr. Johnson": ``_Judge.odd_beside_one``); a
  spelling a word list knows,
  written in a phrase its name is written in again and again ("Hopin's Funeral March" beside
  "Chopin's Funeral March": ``_Judge.in_usual_phrase``); a rare real given name or surname
  written once inside a sentence, one edit from a name used 20 times or more and near its uses
  ("Davi" beside David: ``_Judge.name_slip``); and a name's final "s" lost once where the name is
  no plural or possessive ("Mose" for Moses; not "Halloran" beside "the Hallorans", nor
  "Mr. Phillip's house" beside Mr. Phillips: ``_Judge.lost_s``).

- The text is not crowded with names written alike, or the evidence is strong: where a tenth
  or more of the names used three times or more are near misses of one another (a book of
  genealogies and rolls: Shemaiah, Shemariah, Shecaniah), a spelling used once one letter from
  another name is the rule, not a slip. There only a model that acts, speaks or has a title or
  rank (or a bible name or cue) is a character's, and a near miss of a name no evidence makes
  a character is not its typo, unless the spelling makes letters no name of the text has
  ("Mixiam" beside Miriam: see ``_Judge.crowded``). Nor is a spelling used once twenty thousand
  words or more from every use of the name it is near, made of the text's letters: a name of
  another part of the book ("Ahlab" in one book of a bible, "Ahab" in another: ``_Judge.afield``).

Without a bible, the more frequent spelling is taken to be right only when the other is rare
(used once or twice) or unknown where the first is a known name or word; otherwise both are
in real use and the finding asks which is right. With a bible, the bible's spelling is right.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass

# rapidfuzz (C++ edit distances) rather than a hand-written Levenshtein: it is fast on a
# 1M-word book and does the optimal-string-alignment distance, where a transposition
# (Okonkow / Okonkwo) is one edit, as a typist makes it.
from rapidfuzz import process
from rapidfuzz.distance import OSA

from toolkit.checks.evidence_memo import gathered
from toolkit.checks.name_text import NameStats
from toolkit.checks.wordlist import frequent, listed
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.name_evidence import (
    GENERIC_TITLES,
    NOT_NAMES,
    NOUNS_CAPITALISED,
    WORD,
    Uses,
    alternatives,
    given_to,
    known_given_name,
    known_name,
    names_writing,
)

_RATIO = 3  # a variant's model is used at least this many times as often, and at least this often
_EDGE_USES = 8  # a first- or last-letter typo: its model is used at least this often,
_EDGE_RATIO = 4  # this many times as often as the typo,
_EDGE_RARE = 2  # which is used at most this often
_COMMON = 4.5  # Zipf frequency: "When" 6.4, "Hall" 4.9 are words; "Katherine" 3.8 is a name
_NOUN = 3.0  # in a language that capitalises nouns, any word this frequent is a noun
_PLAIN_USES = 5  # a name with no evidence of a character: used this often,
_PLAIN_INSIDE = 3  # this often inside sentences
_MOSTLY_CAPITALS = 8  # a word written in capitals this many times as often as in lower case is a name
_MIN_MODEL = 4  # a bible name shorter than this (Eli, Jo) is too close to others to be a model
_FATHERS = 2  # a spelling written as the child of this many fathers the model never has is a name many bear
_SOCIABLE = 3  # a name seen with this many companions keeps new company: one more says nothing
_MINOR = 20  # a name used fewer times than this is no main character
_KIN_NAMES = 1  # a minor name with this many near-alike names of its own is one of a family of names
_SHARED_LETTERS = 3  # a run of three letters written in this many of the text's other names is theirs
_SENTENCE_ENDS = frozenset(".!?")  # what ends a sentence (a verse or line may end inside one)
_SENTENCE_SPAN = 250  # two names this many characters apart or fewer, in one sentence, are met together
_PHRASE_CHANCE = 0.05  # a slip this unlikely to miss its name's usual phrase at every use is another name
_PHRASE_USES = 150  # uses read per spelling for its phrases
_PHRASE_SAMPLE = 2  # uses of a spelling that show where the writer puts it (one use is any slip's)
_PHRASE_SEEN = 5  # uses in a phrase that make it the name's usual phrase
_STAGED = 2  # a cue that speaks in this many scenes or more has a company of its own on stage
_STRANGE_TONGUE = 0.2  # a speaker this share of whose words the language does not know speaks another
_TONGUE_WORDS = 50  # in this many words at least
_VERSE = 0.8  # a text whose lines start with a capital this often, inside sentences, is verse
_VERSE_LINES = 100  # of this many lines at least
_STRANGE_RUNS = 2  # runs of three letters no name has that make a once-used spelling a slip
_CROWDED = 0.1  # a text this share of whose names (used 3 times or more) are near misses of one another
_CROWD_POOL = 50  # of this many names at least, is crowded with names written alike (a genealogy)
_LIST_STRANGERS = 2  # names of a list the near name never meets that make a spelling in it one more of them
_CROWD_STRANGERS = 3  # among crowded names, names of its sentence the near name never meets that do so
_AFIELD = 20_000  # a spelling used once this many words from every use of its near name is another name
_AFIELD_USES = 2  # a spelling written this often, each time that far from the name, is a name of that part
_DIALECT_WORDS = 6  # a speaker who changes one letter the same way in this many unknown words speaks a dialect
_DIALECT_USUAL = 3.0  # Zipf frequency of the word with the letter put back ("brave" for "prave"): a common word
_ODD_PAIR = 10  # a pair of letters fewer real names than this write (of some 34,000) is odd in a name
_PHRASE_HELD = 2  # uses of a name in one phrase that make a once-used spelling in it the name's slip,
_PHRASE_SHARE = 0.2  # at least this share of the name's uses
_PHRASE_WORD = 6.0  # a phrase says something when one of its words is rarer than this (Zipf: "of", "the")


def _run_on_lines(text: str) -> tuple[int, int]:
    """Of the lines of ``text`` that start with a letter right after a line ending inside a
    sentence (``_runs_on``): how many start with a capital, and how many there are."""
    capitals = total = 0
    last = ""
    for line in _lines(text):
        if line[:1].isalpha() and last and _runs_on(last[-2:]):
            total += 1
            capitals += line[0].isupper()
        last = line
    return capitals, total


def _verse_near(text: str, at: int) -> bool:
    """Whether the lines around offset ``at`` of ``text`` (``_VERSE_SPAN`` characters each side)
    are verse (see ``_Judge.verse``), ``_VERSE_NEAR`` lines at least."""
    capitals, total = _run_on_lines(text[max(0, at - _VERSE_SPAN) : at + _VERSE_SPAN])
    return total >= _VERSE_NEAR and capitals >= _VERSE * total


_VERSE_SPAN = 600  # characters each side of a use read for the verse it stands in: some 15 lines of verse
_VERSE_NEAR = 8  # lines run on from a line before, at least, in that stretch

_LINES_AT_ONCE = 1 << 16  # characters of text split into lines at a time (see _lines)


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")`` a stretch at a time: a whole script's lines are never held at once
    (a 5 MB script's 60,000 lines are 8 MB of strings: the peak of its check; issue 16)."""
    begin = 0
    while (end := text.find("\n", begin + _LINES_AT_ONCE)) >= 0:
        yield from text[begin:end].split("\n")
        begin = end + 1
    yield from text[begin:].split("\n")


def _runs_on(end: str) -> bool:
    """Whether a line's last two characters end it inside a sentence: a lower-case letter, or one
    and a comma or semicolon."""
    return end[-1].islower() or (end[-1] in ",;" and len(end) == 2 and end[0].islower())


@dataclass(frozen=True)
class Variant:
    """A spelling judged a near miss of another."""

    spelling: str  # as counted: title case for a name in capitals ("Okonkow" for OKONKOW)
    model: str  # the spelling meant
    uses: int  # how often the model is used
    in_bible: bool
    unsure: bool = False  # both spellings in real use, and nothing says which is right
    own_uses: int = 0  # how often the variant itself is used


# ---------------------------------------------------------------- near misses


def _allowed_edits(first: str, second: str) -> int:
    return 1 if min(len(first), len(second)) < 8 else 2


def _edge(first: str, second: str) -> bool:
    """Whether the two differ in the first or the last letter (Karen / Maren, Maria / Mario, Juan / Juana)."""
    a, b = first.lower(), second.lower()
    return a[0] != b[0] or a[-1] != b[-1]


def _plural(first: str, second: str) -> bool:
    """One is the other with a plural ending: the Hallorans, the Coles, los Macedonios."""
    short, long = sorted((first, second), key=len)
    return long.lower() in (short.lower() + "s", short.lower() + "es")


def near_miss(first: str, second: str, edits: int | None = None) -> bool:
    """Whether two spellings could be one name mistyped, inside the name (the first and last letters kept)."""
    if first.lower() == second.lower() or _edge(first, second) or _plural(first, second):
        return False
    limit = _allowed_edits(first, second) if edits is None else edits
    return OSA.distance(first.lower(), second.lower(), score_cutoff=limit) <= limit


Initials = dict[str, tuple[list[str], list[str]]]


def by_initial(words: Iterable[str]) -> Initials:
    """Words grouped by first letter, each group with its lower-case forms."""
    groups: Initials = {}
    for word in sorted(words):
        group = groups.setdefault(word[0].lower(), ([], []))
        group[0].append(word)
        group[1].append(word.lower())
    return groups


def near(word: str, groups: Initials) -> Iterator[tuple[str, int]]:
    """The words of ``groups`` with the same first letter within two edits of ``word``, with the distance."""
    words, lowered = groups.get(word[0].lower(), ([], []))
    for _, distance, index in process.extract_iter(word.lower(), lowered, scorer=OSA.distance, score_cutoff=2):
        yield words[index], int(distance)


class _Models:
    """The spellings that may be models, found by a near miss of any kind in a few lookups."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(words)
        self.groups = by_initial(self.words)
        self.exact = {word.lower(): word for word in self.words}
        self.tails: dict[str, list[str]] = {}  # everything but the first letter -> models
        for word in self.words:
            self.tails.setdefault(word[1:].lower(), []).append(word)

    def near(self, word: str) -> Iterator[str]:
        """Models one or two edits from ``word`` with its first letter, or one edit at the first letter."""
        for model, distance in near(word, self.groups):
            if distance and distance <= _allowed_edits(word, model):
                yield model
        lowered = word.lower()
        first_letter = [
            *self.tails.get(lowered[1:], ()),  # substituted: Carver / Sarver
            *self.tails.get(lowered, ()),  # dropped: Stefan / tefan
            self.exact.get(lowered[1:]),  # added: Stefan / Estefan
            self.exact.get(lowered[1] + lowered[0] + lowered[2:]) if len(lowered) > 2 else None,  # swapped
        ]
        for model in first_letter:
            if model is not None and model.lower() != lowered and model[0].lower() != lowered[0]:
                yield model


# ---------------------------------------------------------------- common words


def common_word(word: str, language: str, threshold: float = _COMMON) -> bool:
    """Whether ``word`` is a common word of the language ("When" beside a character called Wren).

    wordfreq's word lists rather than a list of our own: they cover the language, not just
    the words our tests thought of. Loaded only when a variant is about to be reported.
    The "small" list gives the same answer as the "large" one in a twentieth of the time
    (6 ms against 117 ms for English): it holds every word of Zipf 3 or more with the very
    same frequency, and only words far under ``_COMMON`` are left out of it (a test checks).
    A plain ASCII word is looked up in that list without importing wordfreq (see wordlist.py).
    """
    return zipf(word, language) >= threshold


def zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in its small list (0 for a language it does not know)."""
    from toolkit.checks.wordlist import zipf as small_zipf

    code = language.split("-")[0].lower()
    known = small_zipf(word, code)
    if known is not None:
        return known
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, code, wordlist="small"))
    except LookupError:  # a language wordfreq does not know: no word is judged common
        return 0.0


# ---------------------------------------------------------------- the judgement


class _Judge:
    """The evidence about the spellings of one text, gathered once for every pair it judges."""

    def __init__(
        self,
        stats: NameStats,
        pairs: list[tuple[str, str]],
        memo: PartMemo | None = None,
        counts: dict[str, int] | None = None,
    ) -> None:
        self.stats = stats
        self.counts = _counts(stats) if counts is None else counts  # ``_counts(stats)``, when the caller has it
        names = set(self.counts)
        self.uses: dict[str, Uses] = gathered(
            stats.joined, sorted({word for pair in pairs for word in pair}), names, stats.language, memo
        )
        # The bible's full names are company too: Stefan Kovacs keeps Kovacs's company though
        # the text never writes them together.
        for character in {id(c): c for c in stats.bible.values()}.values():
            for form in character.names:
                words = [word.title() if word.isupper() else word for word in WORD.findall(form)]
                for first, second in itertools.pairwise(words):
                    if first in self.uses:
                        self.uses[first].after.add(second)
                    if second in self.uses:
                        self.uses[second].before.add(first)

    def bible_name(self, word: str) -> bool:
        """The bible names someone by ``word``: it is a word of a bible name, and not only the
        place after "of" in one ("Antipholus of Syracuse", "Dromio of Syracuse"): the bible spells
        its characters, and the text's "Syracusa" is judged as it is without a bible."""
        return word in self.stats.bible and word not in self.stats.bible_places

    def written(self, word: str) -> int:
        """How many times ``word`` is used outside the cues (``counts`` holds a use for each
        speech under a cue that has the word)."""
        return max(0, self.counts[word] - self._cue_uses.get(word, 0))

    @functools.cached_property
    def _cue_uses(self) -> Counter[str]:
        return Counter(word.title() for _, key in self.stats.cues for word in WORD.findall(key))

    def character(self, word: str) -> bool:
        """A cue, a bible name, or a word the text uses as a person's name."""
        if word in self.stats.bible or word in self.stats.cue_words:
            return True
        uses = self.uses.get(word)
        if uses is None:
            return False
        # A word never inside a sentence is an interjection or a sentence's opener ("Halloa!"),
        # whatever verb follows it once: its acting says nothing.
        acts = uses.acts if uses.inside else 0
        given = any(len(name) == 1 or known_given_name(name) for name in uses.before)
        # A real given name written with a capital inside sentences again and again is someone
        # (Pablo, Timoteo in letters that never say "said"), unless it is somewhere: given names
        # name places too ("in Africa", "en Asia").
        named = known_given_name(word) and uses.inside >= _PLAIN_USES and not uses.located
        return bool(acts or uses.titles or given or named)

    def acting(self, word: str) -> bool:
        """A cue, a bible name, or a word that speaks, acts or has a title in the text ("Balak
        said", "king Ahaz"): the strong signs of a character. A real given name or a name beside
        another says only that the word is someone's name (every name of a genealogy is).
        "Cyrus king of Persia": a rank after the name is its title."""
        if word in self.stats.bible or word in self.stats.cue_words:
            return True
        uses = self.uses[word]
        return bool((uses.acts if uses.inside else 0) or uses.titles or uses.ranks)

    def someone_else(self, variant: str, model: str) -> bool:
        """The variant is written with a title or name the model never has: another person or thing."""
        own, meant = self.uses[variant], self.uses[model]
        if own.parents and meant.parents and not own.parents & meant.parents:
            return True  # "Ahaz the son of Jotham" beside "Ahab the son of Omri": two fathers, two men
        if len(own.parents - meant.parents) >= _FATHERS:
            return True  # Jeshua the son of Jozadak, of Azaniah, of Kadmiel: a name many men bear, no slip
        if own.roles and meant.roles and not own.roles & meant.roles:
            return True  # "Shebna the scribe" beside "Sheba the priest"
        # "in Gibeon" beside "Gideon said": a place is no slip of a person's name, nor a person of
        # a place's. The name meant shows its kind in two uses at least: one "in Baudelaire" (a
        # writer read) makes no place of him.
        kinds = own.kind(), meant.kind(least=2)
        if None not in kinds and kinds[0] != kinds[1]:
            return True
        # A title the name is never written with says another person only where the name has a
        # title or rank of its own in the text ("Sir Thomas Baker" beside "Mr. Barker"), or is a
        # minor one ("Saint Denis" beside Oliver's servant Dennis, 5 uses): a main character
        # never titled ("Paulina", 81 times) may be titled once ("the Lady Paulina's steward"),
        # and a slip there is still hers.
        untitled = not (meant.titles or meant.ranks) and self.counts[model] >= _MINOR
        theirs = meant.companions()
        if len(meant.after) >= 2 and known_given_name(model):
            # A given name written with several surnames (John Lubbock, John Jones) is many
            # people's: one more surname beside its slip ("Jozn Ruskin") says nothing.
            theirs |= own.after
        if self.counts[variant] == 1 and (meant.capped or len(meant.strong() - _KINSHIP) >= _SOCIABLE):
            # A name seen in much company (Abraham beside Isaac, Ephron, Sodom…), or in more uses
            # than were read, keeps new company all the time: one use beside one more name or
            # place word says nothing of who it is ("the son of Semein, the son of Toseph"); a
            # title, rank or given name of its own still does ("Sir Thomas Baker", "Carl Weber").
            given = {name for name in own.given - meant.before if known_given_name(name)}
            if meant.capped:
                # Uses past those read may give the name meant that given name ("Eddie Breen"
                # first written at its 200th use): look for the two written together.
                given = {name for name in given if not self.together(name, model)}
            # A rank after the name is its title before it: "David king of Israel", "king David".
            ranks = own.ranks - meant.ranks - meant.titles
            if meant.capped:
                # Uses past those read may give the name meant that rank ("David king of Israel"
                # first written at David's 200th use): look for it written so.
                ranks = {rank for rank in ranks if not self.ranked(model, rank)}
            titles = set() if untitled else own.titles - GENERIC_TITLES - meant.titles - meant.ranks
            return bool(titles | ranks | given)
        # Kinship words say someone is a parent or a child ("the father of Aram", "a daughter of
        # Abraham"), not who: sharing one is no shared company, and one use beside one is no
        # company of its own ("los hijos de Ammón", again and again, is a people).
        strong = own.strong() - _KINSHIP if self.counts[variant] == 1 else own.strong()
        if untitled:
            strong -= own.titles
        return bool(strong - theirs) and not (own.companions() & meant.companions()) - _KINSHIP

    def together(self, first: str, second: str) -> bool:
        """Whether the text writes ``first second`` anywhere (as written, the second or both in
        capitals: "Eddie BREEN" introduces a character in a screenplay's action)."""
        joined = self.stats.joined
        return any(
            f"{one} {two}" in joined
            for one, two in ((first, second), (first, second.upper()), (first.upper(), second.upper()))
        )

    def ranked(self, name: str, rank: str) -> bool:
        """Whether the text writes ``name`` with ``rank`` after it anywhere ("David king of
        Israel", "David, the king of"), as ``gather`` reads a rank."""
        joined = self.stats.joined
        pattern = re.compile(rf"{re.escape(name)},?[ \t]+(?:the[ \t]+)?{re.escape(rank)}[ \t]+(?:of|de)\b")
        # The literal first and the word's start checked by hand (see ``_occurrences``).
        for match in pattern.finditer(joined):
            at = match.start()
            if not at or not joined[at - 1].isalpha():
                return True
        return False

    def side_by_side(self, first: str, second: str) -> bool:
        """Whether one sentence writes both spellings ("Shemaiah, and Joiarib, ... Shebaniah"): a
        list of names, or two people met; a writer who slips types one spelling for one person."""
        joined = self.stats.joined
        forms = {first: first, first.upper(): first, second: second, second.upper(): second}
        pattern = _whole_words(forms)
        last: tuple[str, int] | None = None  # the spelling last seen, and where it ends
        for start, end, written in self.stats.matches(pattern, (first, second)):
            if start and (joined[start - 1].isalnum() or joined[start - 1] == "_"):
                continue
            spelling = forms[written]
            if (
                last is not None
                and last[0] != spelling
                and start - last[1] <= _SENTENCE_SPAN
                and not _SENTENCE_ENDS & set(joined[last[1] : start])
            ):
                return True
            last = (spelling, end)
        return False

    def apart(self, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """The pairs whose name is nearly always written in a phrase of its own ("the children of
        Ammon", "Obed-edom", "the LORD") that the near miss is seldom or never in ("Amnon",
        "Oded", "Lod"; "Amon" once in eight uses): a slip is typed where the name is meant, so its
        uses are a sample of the name's, and a sample of ``n`` uses holds a phrase the name is in
        at ``p`` of its uses as seldom as the near miss does with a chance the binomial law gives
        ((1 - p) ** n for never). Under ``_PHRASE_CHANCE``, it is another name. ``p`` is
        counted the cautious way (Laplace's rule of succession: k + 1 of n + 2), so a name used
        a few times, always alike, says little ("Balaam the son of Beor" seven times beside one
        "Beon"), and a phrase is the name's only in ``_PHRASE_SEEN`` of its uses or more. A phrase
        is one or two lower-case words right before the name, or a hyphen right after it (a
        compound name). A spelling used once is not judged so: one use is where any slip may
        fall ("In the end Hemingway" twenty times, "Then Hemmingway" once), and a writer's slip
        is seldom typed alike twice; nor is a near miss of a bible name, right wherever it is."""
        names = set(self.counts)
        phrases = _phrases(self.stats, {word for pair in pairs for word in pair}, names)
        apart: set[tuple[str, str]] = set()
        for variant, model in pairs:
            own, meant = phrases[variant], phrases[model]
            if not own or not meant:
                continue
            if self.roll(variant, model, own):
                apart.add((variant, model))
                continue
            if len(own) < _PHRASE_SAMPLE or model in self.stats.bible:
                continue  # the bible's spelling is right wherever the text writes it
            written = Counter(phrase for use in own for phrase in use)
            usual = Counter(phrase for use in meant for phrase in use)
            for phrase, uses in usual.items():
                share = (uses + 1) / (len(meant) + 2)
                if uses >= _PHRASE_SEEN and _at_most(written[phrase], len(own), share) <= _PHRASE_CHANCE:
                    apart.add((variant, model))
                    break
        return apart

    def own_company(self, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """The pairs whose variant, written twice, is both times beside one same name (met in one
        sentence, as ``side_by_side`` meets two names) that the model is never beside
        ("Ishmael, and Sheariah, and Obadiah" twice, where Shemaiah never meets Obadiah): a name
        copied with its company, as a roll or a genealogy is copied. A slip is seldom typed
        alike twice, and a slip typed where the name is meant keeps the name's company. A
        spelling used once is never judged so: a planted or real single slip is untouched."""
        twice = [(variant, model) for variant, model in pairs if self.counts[variant] == _EDGE_RARE]
        if not twice:
            return set()
        names = set(self.stats.candidates())  # the text's own names: the bible adds none to a use's company
        company = _company(self.stats, {word for pair in twice for word in pair}, names)
        return {
            (variant, model)
            for variant, model in twice
            if len(company[variant]) == _EDGE_RARE
            and (company[variant][0] & company[variant][1]) - set().union(*company[model]) - {variant, model}
        }

    def roll(self, variant: str, model: str, own: list[set[str]]) -> bool:
        """A spelling written once or twice, each time as an item of a list of names ("Jakim, and
        Zichri, and Zabdi"; "Sallu, Amok, Hilkiah"), beside a minor name (used fewer than
        ``_MINOR`` times, and no bible name or cue): a roll of names (a genealogy, a list of
        guests or of the dead) names people the book names nowhere else. One more of them is
        no slip when it is also made of the letters the book's names are made of (every run of
        three letters it has and the name lacks written in other names: see ``family``); a slip
        in a list makes runs no name has ("Snaballat", "Egorgiana", "Zerubbabe"). A character's
        name (many uses, or the bible's) is still judged as before, in a list or not."""
        stats = self.stats
        return (
            self.counts[variant] <= _EDGE_RARE
            and self.counts[model] < _MINOR
            and model not in stats.bible
            and model not in stats.cue_words
            and all(_LISTED in use for use in own)
            and self.made_of_names(variant, model)
        )

    def list_named(self, variant: str, model: str) -> bool:
        """A spelling written once or twice, each time as an item of a list of names whose end
        says what they are ("And Adaiah, and Beraiah, and Shimrath, the sons of Shimhi"; "…, and
        Tobijah, and Tob-adonijah, Levites"; "…, and Balah, … and Sharuhen; thirteen cities":
        see ``_list_end``), not made of letters no name of the text has (see ``strange_letters``):
        a list the writer gives an identity is copied from a roll, its names people and places
        of their own, not a slip of a near name elsewhere in the book, however often that one
        is used. A slip in such a list that makes letters no name has is still found."""
        if self.counts[variant] > _EDGE_RARE:
            return False
        item, language = self.list_item, self.stats.language
        uses = list(itertools.islice(self._uses(variant), _EDGE_RARE + 1))
        return (
            bool(uses)
            and all(_list_end(self.stats.joined, at, at + len(variant), item, language) for at in uses)
            and not self.strange_letters(variant, model)
        )

    def list_item(self, word: str) -> bool:
        """Whether ``word`` may be an item of a list of names: a name of the text (see ``_a_name``),
        a compound name ("Tob-adonijah": capitalised, letters joined by hyphens), or a capitalised
        word of the text the language does not know as a common word ("Adonijah", though the
        text writes "adonijah" inside Tob-adonijah)."""
        if _a_name(word, self.counts):
            return True
        if "-" in word:
            return word[:1].isupper() and all(part.isalpha() for part in word.split("-"))
        return word in self.stats.counts and not common_word(word, self.stats.language, _NOUN)

    def made_of_names(self, variant: str, model: str) -> bool:
        """Every run of three letters the variant has and the model lacks is written in
        ``_SHARED_LETTERS`` or more of the text's other names, and no capital is inside it."""
        if any(letter.isupper() for letter in variant[1:]) and not variant.isupper():
            return False  # "GAbigail": a capital inside a word is a slip of the shift key
        family, others = self.family_names, {variant.lower(), model.lower()}
        new = _trigrams(variant) - _trigrams(model)
        return all(len(family.trigrams.get(run, set()) - others) >= _SHARED_LETTERS for run in new)

    def apart_on_stage(self, variant: str, model: str) -> bool:
        """Both spellings are cues that speak in two scenes or more each, never in one scene, and
        no named speaker is ever on stage with both: two people of two casts (Titus's son MARTIUS
        and Coriolanus, Caius MARCIUS, in one volume of plays). A cue typed otherwise for a while
        still speaks to the same people; speakers no name says who they are (ALL, FIRST CITIZEN,
        MESSENGER: words the text writes in lower case) are anyone's company."""
        if variant not in self.stats.cue_words or model not in self.stats.cue_words:
            return False
        (own_scenes, own), (its_scenes, its) = self.stats.cast(variant), self.stats.cast(model)
        if min(own_scenes, its_scenes) < _STAGED:
            return False
        if any(model.upper() in WORD.findall(key) for key in own):
            return False  # on stage together: one cue may be the other mistyped in that very scene
        names = self.stats.candidates()
        return not any(word.title() in names for key in own & its for word in WORD.findall(key))

    def woman_and_man(self, variant: str, model: str) -> bool:
        """One spelling is a woman's given name and the other a man's ("some men must love my lady
        and some Joan" beside John; Frances, Francis; Maria, Mario): two people, at whatever
        letter they differ, unless the variant is written with the model's surname, title or
        given name ("Joan Falstaff" where John Falstaff speaks), or is written once among the
        model's uses, as a slip of it is (``name_slip``: "Abra" once beside Abram)."""
        sexes = {given_to(variant), given_to(model)}
        return (
            sexes == {"F", "M"}
            and not self.shares(variant, model, surnames=True)
            and not self.name_slip(variant, model)
        )

    def in_strange_tongue(self, variant: str) -> bool:
        """Every use of the variant is spoken, by speakers a fifth or more of whose words (of 50 at
        least) the language does not know: a French princess's "Anglish", "le Francois", a
        Scots captain's speech. A name in their mouth is spelled as they say it, not mistyped."""
        stats = self.stats
        if not stats.cues:
            return False
        forms = {variant, variant.upper()}
        pattern = _whole_words(forms)
        # A use in a chapter is no one's speech: the screenplay's files are read first, and the
        # chapters only for a name every use there is spoken in a strange tongue (reading the
        # whole text for each name asked took half a second on a million words).
        keys = stats.speakers_at(stats.word_starts(pattern, True, forms))
        if not keys or "" in keys or not all(self.strange_tongue(key) for key in keys):
            return False
        return next(stats.word_starts(pattern, False, forms), None) is None

    def quoted_tongue(self, variant: str) -> bool:
        """The variant is written in a line of another language, and every other use of it quotes
        that line: Lucentio's Ovid, "Hic steterat Priami regia celsa senis", then "'Priami,' is my
        man Tranio" as he construes it. A name in a quotation is in that language's form (Latin's
        genitive of Priam), not mistyped. A line of names ("Adaiah, Beraiah, Shimrath") is no
        other language: only its lower-case words are weighed."""
        if self.counts[variant] > _EDGE_RARE + 1:
            return False
        joined, foreign = self.stats.joined, False
        for at in self._uses(variant):
            low, high = joined.rfind("\n", 0, at) + 1, joined.find("\n", at)
            line = joined[low : len(joined) if high < 0 else high]
            start, end = at - low, at - low + len(variant)
            if self._foreign_line(line[:start] + line[end:]):
                foreign = True
            elif not _quoted(line, start, end):
                return False
        return foreign

    def _foreign_line(self, line: str) -> bool:
        """A line of ``_FOREIGN_WORDS`` lower-case words or more, no more than one of them a common
        word of the language (Zipf 3 or more: "the", "was", "of"), where a line of the language
        has several ("That Lucius' banishment was wrongfully" has "that" and "was")."""
        words = [word for word in WORD.findall(line) if word.islower()]
        common = sum(1 for word in words if common_word(word, self.stats.language, _NOUN))
        return len(words) >= _FOREIGN_WORDS and common <= 1

    def in_dialect(self, variant: str, model: str) -> bool:
        """Every use of the variant is spoken, by speakers of a dialect (see ``dialect``) each of
        whom says the model no more often than the variant: Fluellen's "Saint Tavy" (Davy) and
        "By Jeshu" (Jesu) in speeches whose "prave pattle", "plood", "pridge" write his b as p.
        A name in his mouth is spelled as he says it, whatever letter it changes. A slip in his
        speech of a name he says right more often than not ("Gowre" beside his "Gower" again and
        again) is still found, and so is any slip outside speech."""
        stats = self.stats
        if not stats.cues:
            return False
        said = self._said(variant)
        if said is None or not all(self.dialect(key) for key in said):
            return False
        meant = self._said(model, spoken_only=False) or Counter()
        return all(meant[key] <= uses for key, uses in said.items())

    def _said(self, spelling: str, spoken_only: bool = True) -> Counter[str] | None:
        """How often each speaker says ``spelling`` (as written or in capitals), by cue key; None
        when no use is spoken, or (``spoken_only``) when a use is outside speech."""
        stats = self.stats
        forms = {spelling, spelling.upper()}
        pattern = _whole_words(forms)
        said: Counter[str] = Counter()
        for at in stats.word_starts(pattern, True, forms):
            said.update(stats.speakers_at((at,)))
        if not said:
            return None
        if spoken_only and ("" in said or next(stats.word_starts(pattern, False, forms), None) is not None):
            return None
        return said

    def dialect(self, key: str) -> bool:
        """Whether the speaker of the cue changes one letter the same way in ``_DIALECT_WORDS``
        words or more that the language does not know, each a common word with the letter put
        back (Zipf ``_DIALECT_USUAL`` or more): Fluellen's "prave", "pattle", "plood", "pody",
        "pridge", "pless" (brave, battle, blood, body, bridge, bless). Worked out once per cue;
        the words tried are the speaker's own, each changed at each letter to every letter he uses."""
        known = self.dialects.get(key)
        if known is None:
            language = self.stats.language
            usual = frequent(language, _DIALECT_USUAL)
            words = set(self.stats.spoken(key))
            letters = sorted(set().union(*words)) if words else []
            changes: dict[tuple[str, str], set[str]] = {}
            for word in words:
                if word in usual:
                    continue
                for at, letter in enumerate(word):
                    for other in letters:
                        if other != letter and word[:at] + other + word[at + 1 :] in usual:
                            changes.setdefault((other, letter), set()).add(word)
            # A word of the language, however rare, is no dialect's: asked last, and only of the
            # words of a change made often enough without that question (a search of the large
            # list each; most speakers have none, and the list is then not read at all).
            known = False
            for found in changes.values():
                if len(found) >= _DIALECT_WORDS:
                    unknown = [word for word in found if not listed(word, language)]
                    if len(unknown) >= _DIALECT_WORDS:
                        known = True
                        break
            self.dialects[key] = known
        return known

    @functools.cached_property
    def dialects(self) -> dict[str, bool]:
        return {}

    def strange_tongue(self, key: str) -> bool:
        """Whether a fifth or more of the words spoken under the cue (50 at least) are unknown
        to the language's word list (worked out once per cue)."""
        known = self.tongues.get(key)
        if known is None:
            words = Counter(self.stats.spoken(key))
            total = sum(words.values())
            unknown = self.unknown_words
            for word in words.keys() - unknown.keys():
                unknown[word] = zipf(word, self.stats.language) == 0
            strange = sum(uses for word, uses in words.items() if unknown[word])
            known = self.tongues[key] = total >= _TONGUE_WORDS and strange >= _STRANGE_TONGUE * total
        return known

    def written_as_another(self, variant: str, model: str) -> bool:
        """How the variant is written says it is another word than the name, though it is one
        slip away (see ``_article``, ``_placed``, ``_men``, ``_adjective``): the ship in "The
        Antoniad, the Egyptian admiral" beside Antonius, "Berkley castle" and "Gray's Inn" beside
        the lords Berkeley and Grey, "the two Servingmen" beside a Servingman, the adjective
        "Philippan" beside Philippi; a word of the language that starts a line of verse ("Duck with
        French nods" beside Dick), a verb with its pronoun opening a sentence ("Déos" beside Dios);
        and a spelling written once as a place ("en Athach;") beside a name no evidence makes a
        character that is never one (the eunuch Atach)."""
        language = self.stats.language
        if _adjective(variant, model):
            return True
        own = self.contexts(variant)
        line_starts = bool(own) and all(before[-1:] in ("", "\n") for before, _ in own)
        if (
            line_starts
            and (
                common_word(variant, language, _NOUN)
                or (_rare_word(variant, language) and not any(_name_after(after) for _, after in own))
            )
            and self.verse(variant)
        ):
            # "Duck with French nods", "Pewter and brass" at a line's start in verse: the word,
            # capitalised by the line; a rare word before a name is a given name ("Tutus
            # Aufidius", Tullus's slip) for all the lists know.
            return True
        mine = self.uses[variant]
        if not mine.inside and mine.opens >= self.counts[variant] and _with_pronoun(variant, language):
            return True  # "Déos Jehová que halléis descanso": a verb and its pronoun, opening the sentence
        if (
            own
            and mine.opens >= self.counts[variant]
            and all(_object_after(after, language) for _, after in own)
            and listed(variant, language)
        ):
            return True  # "Pare thy nails", "Mark my words": a verb and its object, opening the sentence
        if own and _men(variant, model) and any(_plural_before(before, language) for before, _ in own):
            return True
        if own and _made_a_verb(variant, model) and all(_last_word(b) in _table("be", language) for b, _ in own):
            return True  # "Petruchio is Kated": mated by Kate, the name made a verb
        indefinite = bool(own) and all(_indefinite(before, language) for before, _ in own)
        if indefinite and known_name(variant) and not self.shares(variant, model, True):
            # "What a Herod of Jewry is this!" beside Hero: a kind of man named after one the lists
            # know, where the name meant is seldom so written (once in ten: "O Hero, what a Hero
            # hadst thou been"). "a Louisa Musgrove", with her surname, is still Louisa; "a Kig"
            # for "a King", a spelling no list knows, a slip.
            meant = self.contexts(model)
            if 10 * sum(_indefinite(before, language) for before, _ in meant) <= len(meant):
                return True
        # A thing named after someone is named with a change of its own (two edits: "Antoniad"); one
        # letter off after "the" is a slip where the name was once written so ("the Georeg"). The
        # name's own uses are read only when the variant's say so.
        if own and all(_article(before, language) for before, _ in own):
            meant = self.contexts(model)
            if len(meant) >= _PLAIN_INSIDE and not any(_article(before, language) for before, _ in meant):
                return OSA.distance(variant.lower(), model.lower()) == 2
        placed = bool(own) and all(_placed(after, language) for _, after in own)
        if placed and not any(_placed(after, language) for _, after in self.contexts(model)):
            return True
        theirs = self.uses[model]
        return (
            self.counts[variant] == 1
            and mine.somewhere > 0
            and not theirs.somewhere
            and not theirs.located
            and not self.character(model)
        )

    def repeated(self, variant: str) -> bool:
        """Every use of the variant is written right beside another (only marks and spaces
        between): "'Thisne, Thisne;'", Bottom's voice for Thisby. A slip is not typed alike twice
        running; a name said twice so is said so."""
        own = self.contexts(variant)
        if not own or self.counts[variant] < 2:
            return False
        name, between = re.escape(variant), _BETWEEN_REPEATS
        pattern = re.compile(rf"(?:^[{between}]*{name}\b)|(?:\b{name}[{between}]*$)")
        return all(pattern.search(after) or pattern.search(before) for before, after in own)

    def contexts(self, spelling: str) -> list[tuple[str, str]]:
        """The text right before and right after each use of ``spelling`` (as written or in
        capitals; its first ``_PHRASE_USES``, see ``_uses``), ``_CONTEXT`` characters each side."""
        known = self._contexts.get(spelling)
        if known is not None:
            return known
        joined = self.stats.joined
        found: list[tuple[str, str]] = []
        for at in itertools.islice(self._uses(spelling), _PHRASE_USES):
            end = at + len(spelling)
            found.append((joined[max(0, at - _CONTEXT) : at], joined[end : end + _CONTEXT]))
        self._contexts[spelling] = found
        return found

    def first_use(self, spelling: str) -> int | None:
        """Where ``spelling`` is first written (as written or in capitals), or None."""
        return next(self._uses(spelling), None)

    def _uses(self, spelling: str) -> Iterator[int]:
        """Where ``spelling`` is written in ``joined`` (as written or in capitals), in reading
        order. Only the chapters and scene files whose words hold it are searched (``str.find``,
        the word's ends checked by hand): a rare spelling is in one or two of them."""
        stats = self.stats
        for index in stats.groups_holding((spelling,)):
            low = stats.starts[index]
            yield from _starts(stats.joined, spelling, low, low + len(stats.groups[index].joined))

    @functools.cached_property
    def _contexts(self) -> dict[str, list[tuple[str, str]]]:
        return {}

    def verse(self, spelling: str) -> bool:
        """Whether the chapters or scene files that write ``spelling`` are verse: where a line ends
        inside a sentence (a lower-case letter, or one and a comma or semicolon), the next line
        starts with a capital ``_VERSE`` of the time or more (of ``_VERSE_LINES`` such lines at
        least). Prose wrapped by hand goes on in lower case. Where they are not, each use of it
        may still stand in verse (``_verse_near``): Gremio's "Pewter and brass" in a play of
        verse and prose."""
        capitals = total = 0
        for index in self.stats.groups_holding((spelling,)):
            if index not in self._run_on_lines:
                self._run_on_lines[index] = _run_on_lines(self.stats.groups[index].joined)
            group_capitals, group_total = self._run_on_lines[index]
            capitals += group_capitals
            total += group_total
        if total >= _VERSE_LINES and capitals >= _VERSE * total:
            return True
        # A book of plays mixes verse with prose: then the lines around each use say which it is.
        joined = self.stats.joined
        uses = list(itertools.islice(self._uses(spelling), _PHRASE_USES))
        return bool(uses) and all(_verse_near(joined, at) for at in uses)

    @functools.cached_property
    def _run_on_lines(self) -> dict[int, tuple[int, int]]:
        """Each group's (lines starting with a capital, lines) after a line ending inside a sentence
        (see ``verse``), by the group's index: the same whatever spelling is asked about."""
        return {}

    @functools.cached_property
    def tongues(self) -> dict[str, bool]:
        return {}

    @functools.cached_property
    def unknown_words(self) -> dict[str, bool]:
        return {}

    def shares(self, variant: str, model: str, surnames: bool) -> bool:
        """The variant is written with the model's title or given name ("Mr. Fennel's", "Ana Moralse");
        with ``surnames``, with its surname too ("ESTEFAN KOVACS")."""
        own, meant = self.uses[variant], self.uses[model]
        shared = (own.titles & meant.titles) | (own.before & meant.before)
        return bool(shared or (surnames and own.after & meant.after))

    def family(self, variant: str, model: str) -> bool:
        """The variant is one more of a family of names written alike, not a slip: the name it
        is near is no main character (used fewer than ``_MINOR`` times), has near-alike names of
        its own that the text uses again and again (Shemaiah beside Shebaniah, Shemariah,
        Shecaniah in a book of genealogies), and every run of three letters the variant has and
        the name lacks is written in other names of the text ("Sheariah": "hea", "ari" of
        Shealtiel, Zechariah). A writer's slip of a character's name makes letters no name of
        the book has ("Shemaaih") or misses a name used many times; a spelling used three times
        or more is judged as before."""
        counts = self.counts
        if counts[variant] > _EDGE_RARE or self.stats.counts.get(model, 0) >= _MINOR:
            return False
        if any(letter.isupper() for letter in variant[1:]) and not variant.isupper():
            return False  # "GAbigail": a capital inside a word is a slip of the shift key
        family = self.family_names
        kin = [word for word in family.near(model) if word != variant.lower()]
        if len(kin) < _KIN_NAMES:
            return False
        new = _trigrams(variant) - _trigrams(model)
        others = {variant.lower(), model.lower()}
        return all(len(family.trigrams.get(run, set()) - others) >= _SHARED_LETTERS for run in new)

    def afield(self, variant: str, model: str) -> bool:
        """A spelling written once, ``_AFIELD`` words or more from every use of the name it is
        near, and not made of letters no name of the text has (see ``strange_letters``): among
        crowded names (see ``crowded``; asked only there), a name of another part of the book
        ("Ahlab" in one book of a bible, "Ahab" in another), not a slip. A slip is typed where
        the writer means the name, in the stretch of the story that name is in; one typed far
        from it that makes letters no name has ("Mixiam" far from Miriam) is still found. In a
        novel, a diary or a play, a rare name's one mention far from the rest is as likely to be
        the one mistyped ("Samuel Johnsod" fifty thousand words before Dr. Johnson): not asked."""
        if self.counts[variant] != 1 or self.strange_letters(variant, model):
            return False
        far = self.far_from(variant, model)
        return bool(far) and all(far)

    def elsewhere(self, variant: str, model: str) -> bool:
        """A spelling written in the text twice or more, each time ``_AFIELD`` words or more from
        every use of the name it is near: a name of another part of the book, whatever the text
        ("Licio", the name Hortensio takes in The Taming of the Shrew, seven times, beside Lucio
        of Measure for Measure in one volume; "Chatillion", twice, Edward III's French commander,
        beside King John's Chatillon). A slip is typed where the writer means the name, in the
        stretch of the story that name is in; typed alike again, it is typed there. A cue's uses
        are not in the text: a cue spelled otherwise twice (POMPHEY beside POMPEY) is judged as
        before."""
        own = list(self._uses(variant))
        if len(own) < _AFIELD_USES:
            return False
        uses = list(self._uses(model))
        joined = self.stats.joined
        return bool(uses) and all(_far_apart(joined, here, use) for here in own for use in _nearest(uses, here))

    def far_from(self, variant: str, model: str) -> list[bool]:
        """For the uses of ``model`` nearest the first use of ``variant`` (the one before it and
        the one after it): whether each is ``_AFIELD`` words or more away. Empty where either
        spelling is never written."""
        here = self.first_use(variant)
        if here is None:
            return []
        joined = self.stats.joined
        return [_far_apart(joined, here, use) for use in _nearest(list(self._uses(model)), here)]

    def stranger(self, variant: str, model: str) -> bool:
        """A spelling written once whose sentence holds only names the model is never written
        with in any of its sentences, where it is written as the parent of a named child ("Geuel
        the son of Machi", one name will do) or with a rank ("Horam king of Gezer"), or, among
        crowded names (see ``crowded``: a book of genealogies and chronicles), as an item of a
        list (two names at least: "Hazar-shual, and Balah, and Azem") or anywhere beside a minor
        name (used fewer than ``_MINOR`` times; three names: "Hiel built Jericho with the loss of
        Abiram his firstborn, and Segub", beside an Abijam never written with them):
        one more man of a line of descent, a roll or a chronicle, not a slip. A slip is typed
        where the writer means the name, among the people and places that name is met with. Not
        asked: a child unnamed ("a daughter of Abraham"), a list outside crowded names (a diary's
        "Keats, Gibbon, Oscar Wilde and Baudelaire"), a spelling that keeps the model's role,
        title or given name ("the wife of Jehoiada the priest") or makes letters no name of the
        text has ("Mixiam"), and a bible name or cue: a character's name is judged as before."""
        stats = self.stats
        if model in stats.bible or model in stats.cue_words:
            return False  # a character's name: judged as before, in a list or not
        if self.counts[variant] != 1 or self.strange_letters(variant, model):
            return False
        own, meant = self.uses[variant], self.uses[model]
        if own.roles & meant.roles or self.shares(variant, model, surnames=True):
            return False  # "the wife of Jehoiada the priest": the name's own role, title or given name
        here = self.first_use(variant)
        if here is None:
            return False
        names = stats.candidates()  # the text's own names: the bible adds none to a use's company
        kin = bool(own.parents or own.ranks) or _parent_of_named(stats.joined, here, names)
        listed = self.crowded and _listed(stats.joined, here, here + len(variant), set(self.counts))
        # Anywhere among crowded names, only beside a minor name: a main character meets new
        # people and places all through the book ("Judah took Gaza ... Ashkelon ... Ekron").
        crowd = self.crowded and (listed or self.counts[model] < _MINOR)
        if not (kin or crowd):
            return False
        company = _company(stats, {variant, model}, set(names))
        if not company[variant]:
            return False
        beside = company[variant][0] - {variant, model}
        if beside & set().union(*company[model]):
            return False
        # Names enough to count: a common word of the language is no stranger ("She" opening a sentence).
        least = 1 if kin else _LIST_STRANGERS if listed else _CROWD_STRANGERS
        return sum(not common_word(name, stats.language) for name in beside) >= least

    @functools.cached_property
    def crowded(self) -> bool:
        """Whether the text's names are crowded: a tenth or more of the names it uses three times
        or more (50 at least; a slip is seldom typed alike three times, so these are names) are a
        near miss of another of them inside the name (Shemaiah, Shemariah, Shecaniah; Azariah,
        Amariah). In a book of genealogies and rolls a new name written once one letter from
        another is the rule, and nothing but a strong sign makes it a slip; in a novel, a
        diary or a play hardly a name in twenty-five has such a neighbour."""
        # The text's own names: the bible makes nothing more lenient, so it adds none here.
        pool = [word for word, used in self.stats.candidates().items() if used >= _RATIO and len(word) >= _MIN_MODEL]
        if len(pool) < _CROWD_POOL:
            return False
        # A near miss inside the name keeps its first and last letters: only names alike in both are compared.
        ends: dict[str, list[str]] = {}
        for word in pool:
            ends.setdefault(word[0].lower() + word[-1].lower(), []).append(word.lower())
        alike = 0
        for group in ends.values():
            for word in group:
                found = process.extract_iter(word, group, scorer=OSA.distance, score_cutoff=2)
                alike += any(near_miss(word, group[at]) for _, _, at in found if group[at] != word)
        return alike >= _CROWDED * len(pool)

    @functools.cached_property
    def family_names(self) -> _Family:
        return _Family(self.stats.candidates())

    def nickname(self, variant: str, model: str) -> bool:
        """The variant is the model cut short and only ever used to address someone: a
        nickname (", Stace." beside Stacey), not a slip."""
        own = self.uses[variant]
        return (
            model.lower().startswith(variant.lower())
            and own.address >= self.counts[variant]
            and not self.shares(variant, model, surnames=True)
        )

    def unknown(self, variant: str) -> bool:
        """Used once, and known to no word list and no name list: "Ebrnabé", not "Hopin"."""
        return self.counts[variant] == 1 and not known_name(variant) and zipf(variant, self.stats.language) == 0

    def plain_typo(self, variant: str, model: str) -> bool:
        """A near miss of a name that is no character by the evidence (a composer a diary
        names, a ship) is still its typo when nothing at all is known of it: used once or
        twice, not only as a sentence's first word, beside a name used five times or more (eight,
        for a slip of the first or last letter) and three times inside sentences, in no company
        the name never keeps, not acting as a person of its own (unless used once and known to no
        list: "as Bauderaire says" beside Baudelaire), and a spelling neither
        wordfreq (its large list) nor the name lists know ("Chopihn"; not "Pegu" beside Peru,
        nor "Nantucketer" beside Nantucket)."""
        counts, own, meant = self.counts, self.uses[variant], self.uses[model]
        edge = _edge(variant, model)
        # The writer typed a name ``least`` times, the slip among them: Pedro four times and
        # "Pdero" once is a name used five times (a slip of the first or last letter needs its
        # model used eight times without it, unless it makes letters no name has: "Ebrnabé").
        least = _EDGE_USES if edge and not self.strange_letters(variant, model) else _PLAIN_USES - counts[variant]
        return (
            counts[variant] <= _EDGE_RARE
            and own.opens < counts[variant]
            and counts[model] >= max(least, _RATIO * counts[variant])
            and meant.inside >= _PLAIN_INSIDE
            and not own.strong() - meant.companions()
            and (not own.acts or self.unknown(variant))
            and not _derived(variant, model)
            and not known_name(variant)
            and (not listed(variant, self.stats.language) or self.in_usual_phrase(variant, model))
        )

    def strange_letters(self, variant: str, model: str) -> bool:
        """A spelling used once, known to no list, with two runs of three letters (its start and end
        marked; or its one new run) that no other name of the text has: "Ebrnabé" ("^eb", "brn"),
        "Paolos" ("pao", "aol") beside Bernabé, Apolos. A slip of the first or last letter makes
        letters no name has; a name of its own is made of the letters the text's names are made
        of, all but one run at most ("Gessuri" beside Gessur, "Pishon" beside Dishon)."""
        if not self.unknown(variant):
            return False
        family, others = self.family_names, {variant.lower(), model.lower()}
        new = _trigrams(variant) - _trigrams(model)
        strange = [run for run in new if not family.trigrams.get(run, set()) - others]
        return len(strange) >= min(_STRANGE_RUNS, len(new)) > 0

    def odd_beside_one(self, variant: str, model: str) -> bool:
        """A spelling used once that makes letters no name of the text has (see
        ``strange_letters``) and a pair of letters hardly a real name has (``_odd_pair``:
        "jh" of "Ojhnson", "ii" of "Phiinehas"; not "ar" of "Dora Webbar"), whose only company the name meant never
        keeps is one name or given name beside it ("Samuel Ojhnson" where Johnson is only ever
        "Dr. Johnson"; "the children of Amram; Aaron, and Moses, and Miiram"): a slip of the name,
        not someone else. The name a writer types a slip beside is often new to the name meant;
        a person of their own is named with letters the text's names are made of. A title, rank
        or role of its own, a father where the name meant has another, a place for a person, or
        two names of its own company still make someone else; so does a given name beside a
        name seen in much company ("Carl Josefh"), judged as before."""
        own, meant = self.uses[variant], self.uses[model]
        if self.counts[variant] != 1 or own.titles - GENERIC_TITLES or own.ranks or own.roles:
            return False
        if meant.capped or len(meant.strong() - _KINSHIP) >= _SOCIABLE:
            return False  # a name in much company: a given name of its own is judged as before ("Carl Josefh")
        if own.parents and (meant.parents or len(own.parents) > 1):
            return False  # a father the name meant never has, where it has one: two men
        kinds = own.kind(), meant.kind(least=2)
        if None not in kinds and kinds[0] != kinds[1]:
            return False  # a place beside a person
        if len((own.strong() | own.parents) - meant.companions()) > 1:
            return False
        return self.strange_letters(variant, model) and _odd_pair(variant, model)

    def enough_uses(self, variant: str, model: str, least: int) -> bool:
        """Whether the model of a first- or last-letter slip is used often enough: ``least``
        times, a slip of one edit counted among its uses (the writer typed the name that often:
        John four times and "Joh" once is a name used five times; not a Latin "Crispianus" two
        edits from a Crispian written four times), and ``_EDGE_RATIO`` times as often as the slip
        without it."""
        counts = self.counts
        slip = OSA.distance(variant.lower(), model.lower()) == 1  # a typist's slip; "Crispianus" is a form
        return counts[model] + counts[variant] * slip >= least and counts[model] >= _EDGE_RATIO * counts[variant]

    def in_usual_phrase(self, variant: str, model: str) -> bool:
        """A spelling used once, written in a phrase the name is written in ``_PHRASE_HELD``
        times or more and at a fifth of its uses at least ("Hopin's Funeral March" where the
        diary writes "Chopin's Funeral March" twice in nine uses): the phrase says which name is
        meant, though a word list knows the spelling. A phrase is the two words right after
        the use (its possessive kept) or the two right before it, one of them no mere word of
        grammar ("of the", "and the" say nothing)."""
        if self.counts[variant] != 1:
            return False
        own = self.contexts(variant)
        meant = self.contexts(model)
        if len(own) != 1 or len(meant) < _PHRASE_HELD:
            return False
        language = self.stats.language
        for side in (0, 1):
            phrase = _phrase_of(own[0], side)
            if not phrase or all(zipf(word, language) >= _PHRASE_WORD for word in phrase.split()[-2:]):
                continue
            held = sum(_phrase_of(context, side) == phrase for context in meant)
            if held >= max(_PHRASE_HELD, _PHRASE_SHARE * len(meant)):
                return True
        return False

    def name_slip(self, variant: str, model: str) -> bool:
        """A real given name or surname written once that is a rare word of the language ("Davi",
        "Zera", "Naron"), one edit from a name used ``_MINOR`` times or more (David, Ezra, Aaron),
        inside a sentence (not at its start, where it may open a list or a heading), and within
        ``_AFIELD`` words of a use of that name: the name's slip, though the name lists know the
        spelling. A well-known name ("Mario", "Anna") and one named far from the name it is near
        stay people of their own."""
        counts, own = self.counts, self.uses[variant]
        if counts[variant] != 1 or counts[model] < _MINOR or not own.inside or own.opens:
            return False
        if not known_name(variant) or zipf(variant, self.stats.language) >= _NOUN:
            return False
        if OSA.distance(variant.lower(), model.lower()) != 1:
            return False
        return not all(self.far_from(variant, model))  # near a use of the name; never written: no

    def declined(self, variant: str, model: str) -> bool:
        """The text writes the variant's own plural, as a plural ("our Isbels o' the country" beside
        Isbel, three times: after an article, a possessive or a word of number), and no plural of
        the model's: a name in use is declined as a word is; a slip is typed, not declined. A
        plural that the lists know as a name of its own is that name (Judas beside Juda)."""
        if any(self.counts.get(model + ending) for ending in ("s", "es")):
            return False
        language = self.stats.language
        for ending in ("s", "es"):
            plural = variant + ending
            if plural == model or not self.counts.get(plural) or _plural(plural, model) or known_name(plural):
                continue
            if any(_determined(before, language) for before, _ in self.contexts(plural)):
                return True
        return False

    def lost_s(self, variant: str, model: str) -> bool:
        """The model with its last "s" dropped, written once, where the model is a name of its own
        and not a plural ("Mose" for Moses): the spelling is not written after "the" or a word of
        number, and neither is the model more than once in ten uses ("the Hallorans", "two
        Servingmen" are plurals; their singular is the word, not a slip); nor is it a possessive
        ("Mr. Phillip's house" beside Mr. Phillips: the possessive of a name in "s" was often
        written so)."""
        if not _lost_s_pair(variant, model, self.counts):
            return False
        language = self.stats.language
        own, meant = self.contexts(variant), self.contexts(model)
        if not own or not meant:
            return False
        if any(_article(before, language) or _plural_before(before, language) for before, _ in own):
            return False
        if any(after[:2] in ("'s", "’s") for _, after in own):
            return False  # "Mr. Phillip's house": the possessive of Phillips, its "s" merged, as it was often written
        plurals = sum(_article(before, language) or _plural_before(before, language) for before, _ in meant)
        return plurals * 10 <= len(meant)

    def typo(self, variant: str, model: str) -> bool:
        """Whether the evidence says ``variant`` is a slip of ``model`` (``elsewhere`` and
        ``stranger``, which read the text around the uses of both, are asked last, of a pair every
        other test let through: asked of each of the 101 pairs it might answer for on the
        published million words, ``elsewhere`` took 0.6 s)."""
        return self._typo(variant, model) and not self.elsewhere(variant, model) and not self.stranger(variant, model)

    def _typo(self, variant: str, model: str) -> bool:
        stats, counts = self.stats, self.counts
        if (variant, model) in stats.distinct or (variant in stats.bible and model in stats.bible):
            return False
        plural = _plural(variant, model) and not _cut_short(variant, model, counts, stats.language)
        if plural and not self.lost_s(variant, model):
            return False  # the name's singular ("Halloran" beside "the Hallorans"), not its slip
        if self.apart_on_stage(variant, model) or self.woman_and_man(variant, model):
            return False
        if _a_word_of_the_text(stats, variant):
            return False  # GENTLEWOMAN beside "a gentlewoman": the word, not GENTLEMAN mistyped
        if _mostly_a_word(stats, model, counts) and listed(variant, stats.language):
            return False  # "Herne the hunter" beside "here" and a cue HERE STAND I: no name missed
        in_bible = self.bible_name(model)
        own = self.uses[variant]
        if own.pointed or own.compound:
            return False
        if self.someone_else(variant, model) and not self.odd_beside_one(variant, model):
            return False
        if own.introduced and (counts[variant] > 1 or _knowledge(variant, stats.language) or _edge(variant, model)):
            # "a man named Carver": a new person, given a name the lists know, the text uses again,
            # or that ends or starts otherwise ("se llamaba Michâ" beside Michâl); a slip inside a
            # spelling used once that nothing knows ("called Arbaham") is still a slip.
            return False
        if _people(variant, model) or _founded(variant, model, counts) or _womans(variant, model):
            return False
        if _own_people(variant, model, counts) or self.declined(variant, model):
            return False
        # The singular, where its evidence was gathered (find_variants gathers the singulars of
        # the pairs' spellings, not a singular's singular).
        stem = _singular(variant, counts)
        stem = stem if stem in self.uses else None
        if stem and stem != model and counts[stem] > 1 and not _plural(stem, model) and not self.typo(stem, model):
            return False  # "all false women Cressids" beside Cressid, 33 times: that name's plural
        if self.family(variant, model) or (self.crowded and self.afield(variant, model)):
            return False
        if self.list_named(variant, model):
            return False
        # Written with the model's given name or surname, and itself no real name: the same
        # person ("Marixe Bashkirtseff" beside Marie Bashkirtseff), whatever else is known of them.
        full_name = self.shares(variant, model, surnames=True) and not known_name(variant)
        # Among crowded names a spelling nothing is known of is one more name, not a slip, and
        # only a name that acts or has a title or rank is a character's; unless the spelling
        # makes letters no name of the text has ("Mixiam" beside Miriam): no name is made so.
        crowd = self.crowded and not self.strange_letters(variant, model)
        plain = not crowd and self.plain_typo(variant, model)
        if not (self.character(model) and (not crowd or self.acting(model))) and not plain and not full_name:
            return False
        if self.written_as_another(variant, model) or self.repeated(variant):
            return False
        if self.in_strange_tongue(variant) or self.quoted_tongue(variant):
            return False
        if self.in_dialect(variant, model):
            return False
        if self.nickname(variant, model):
            return False
        if not own.inside and own.address >= counts[variant] and common_word(variant, stats.language, _NOUN):
            return False  # "Amen." said alone, never inside a sentence: a word, whatever names it is
        stems = (_stem(variant, counts), _stem(model, counts))
        if stems[0] and stems[1] and self.someone_else(stems[0], stems[1]):
            return False  # the Coxes beside the Coles: William Coxe is someone else
        edge, shares = _edge(variant, model), self.shares(variant, model, surnames=in_bible)
        if self.crowded and counts[variant] > 1 and not shares:
            # Among crowded names a slip is typed once: a spelling written again, never with the
            # name's given name or title, is one more name of the rolls ("Jesiah" twice, beside Josiah).
            return False
        if edge:
            latin = variant.lower().endswith("us") and not model.lower().endswith("us")
            if (counts[variant] > _EDGE_RARE or latin) and _inflected(variant, model):
                # "Saturnine" 16 times beside Saturninus, "the Andronici": the name's other ending;
                # "Valentinus" beside Valentine, even once: the Latin form of a name.
                return False
            # A bible name used four times as often (its cues too) makes a spelling written a few
            # times rare, unless the lines write that spelling more often than the name itself:
            # "Cressid" 35 times beside "Cressida" 13 times (and 163 cues CRESSIDA) is the name as
            # the lines say it; "Sandr" three times beside three "Sandra" and her cues, a slip.
            rare = counts[variant] <= _EDGE_RARE or (
                in_bible and counts[model] >= _EDGE_RATIO * counts[variant] and self.written(model) >= counts[variant]
            )
            # A spelling used once that no word list and no name list knows needs less of its model;
            # one whose letters no name has ("Ebrnabé") is one of five uses of it (see plain_typo).
            least = _PLAIN_USES - self.strange_letters(variant, model) if self.unknown(variant) else _EDGE_USES
            if not rare or (not in_bible and not self.enough_uses(variant, model, least)):
                return False
            slip = self.name_slip(variant, model) or self.lost_s(variant, model)
            if known_name(variant) and not shares and not slip:
                return False
            if known_given_name(variant) and not self.shares(variant, model, surnames=False) and not slip:
                return False  # Anna Weston beside Anne Weston: a family shares a surname, not a given name
        elif counts[model] < _RATIO * max(1, counts[variant]) and not in_bible:
            return False  # a bible name is right however rare
        if (
            not self.uses[variant].inside
            and not (shares or variant in stats.cue_words)
            and (
                (listed(variant, stats.language) and not known_name(variant))
                or (common_word(variant, stats.language, _NOUN) and not known_given_name(variant))
            )
        ):
            # Only ever at a sentence's start, where any word has a capital, and a word the
            # language knows ("Alegando", "Holloa!", "Shorter?"): nothing says it is a name
            # there, whatever the bible names.
            return False
        if stats.language in NOUNS_CAPITALISED:
            # German writes every noun with a capital: a word of the language is a noun (Daumen).
            return not common_word(variant, stats.language, _NOUN) or self.shares(variant, model, False)
        if common_word(variant, stats.language):
            return self.shares(variant, model, False)  # "When" beside Wren; "Mr. Hall" beside Mr. Hale
        # A word of the language (the Welsh hills beside Mr. Walsh) is a typo only where it keeps
        # the name's company or acts as a person, is the same given name spelled otherwise
        # (Jaime / Jamie), or the bible says which name it misses.
        # A word of the language used three times or more is the word, however close to a
        # bible name ("Nanny" four times beside Fanny): a slip is not typed alike again and again.
        return (
            not common_word(variant, stats.language, _NOUN)
            or (in_bible and counts[variant] <= _EDGE_RARE)
            or shares
            or self.uses[variant].acts > 0
            or (known_given_name(variant) and known_given_name(model))
        )


def _nearest(uses: list[int], here: int) -> list[int]:
    """Of ``uses`` (offsets, in order), the one right before ``here`` and the one right after."""
    at = bisect.bisect(uses, here)
    return [uses[index] for index in (at - 1, at) if 0 <= index < len(uses)]


def _far_apart(text: str, here: int, there: int) -> bool:
    """Whether ``_AFIELD`` words or more lie between two offsets of ``text``. A word and the space
    after it take two characters at least: nearer than twice that, the words are not counted;
    and they are counted up to ``_AFIELD`` only (a split of the whole stretch between two books
    of a volume, for each use, took 1.6 s on a million words)."""
    low, high = min(here, there), max(here, there)
    return high - low >= 2 * _AFIELD and _words_at_least(text, low, high, _AFIELD)


def _words_at_least(text: str, low: int, high: int, words: int) -> bool:
    """Whether ``text[low:high]`` holds ``words`` words (white-space separated) or more: read
    ``_LETTERS_A_WORD`` characters a word first, the whole stretch only where that falls short."""
    first = min(high, low + _LETTERS_A_WORD * words)
    if len(text[low:first].split(maxsplit=words)) >= words:
        return True
    return first < high and len(text[low:high].split(maxsplit=words)) >= words


_LETTERS_A_WORD = 12  # twice an English word and its space, on average


def _starts(text: str, spelling: str, low: int = 0, high: int | None = None) -> list[int]:
    """Where ``spelling`` is written in ``text`` (between ``low`` and ``high``) as a word, as
    written or in capitals, in order: ``str.find`` and the word's ends checked by hand (a
    lookbehind tried at every position of a million words costs five times as much)."""
    starts: list[int] = []
    for form in {spelling, spelling.upper()}:
        at = text.find(form, low, high)
        while at >= 0:
            end = at + len(form)
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            # An apostrophe inside a word ("O'Hara") is no word's start; one after a space opens
            # a quotation ("'Harry, come here.'").
            inside = before in "'’" and at > 1 and text[at - 2].isalnum()
            if not (before.isalnum() or before in "_-" or inside) and not after.isalpha():
                starts.append(at)
            at = text.find(form, end, high)
    return sorted(starts)


def _at_most(hits: int, tries: int, share: float) -> float:
    """The chance of ``hits`` or fewer in ``tries`` draws that each hit with the chance ``share``."""
    return sum(math.comb(tries, k) * share**k * (1 - share) ** (tries - k) for k in range(hits + 1))


def _phrases(stats: NameStats, spellings: set[str], names: set[str]) -> dict[str, list[set[str]]]:
    """Each spelling's uses (its first ``_PHRASE_USES``, as written or in capitals), each with the
    phrases it is written in: the lower-case word before it, the two before it, a hyphen after;
    and ``_LISTED`` for an item of a list of ``names`` (a name beside it, a comma between)."""
    found: dict[str, list[set[str]]] = {spelling: [] for spelling in spellings}
    if not spellings:
        return found
    forms = {form: spelling for spelling in spellings for form in (spelling.upper(), spelling)}
    pattern = re.compile(rf"{alternatives(forms)}(?![^\W\d_])")
    text = stats.joined
    for start, end, written in stats.matches(pattern, spellings):
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-'’"):
            continue
        uses = found[forms[written]]
        if len(uses) >= _PHRASE_USES:
            continue
        phrases: set[str] = set()
        if end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha():
            phrases.add("-")
        if start and text[start - 1] in " \t\n":
            words = text[max(0, start - 40) : start].split()[-2:]
            if words and words[-1].isalpha() and words[-1].islower():
                phrases.add(words[-1])
                if len(words) == 2 and words[0].isalpha() and words[0].islower():
                    phrases.add(f"{words[0]} {words[1]}")
        if _listed(text, start, end, names):
            phrases.add(_LISTED)
        uses.append(phrases)
    return found


def _whole_words(forms: Iterable[str]) -> re.Pattern[str]:
    """Any of ``forms`` written as a whole word (no letter right after it), the longest tried first."""
    return re.compile(rf"(?:{'|'.join(map(re.escape, sorted(forms, key=len, reverse=True)))})(?![^\W\d_])")


def _company(stats: NameStats, spellings: set[str], names: set[str]) -> dict[str, list[set[str]]]:
    """Each spelling's uses (as written or in capitals), each with the ``names`` written in its
    sentence within ``_SENTENCE_SPAN`` characters before or after it."""
    found: dict[str, list[set[str]]] = {spelling: [] for spelling in spellings}
    forms = {form: spelling for spelling in spellings for form in (spelling.upper(), spelling)}
    pattern = _whole_words(forms)
    text = stats.joined
    for start, end, written in stats.matches(pattern, spellings):
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-'’"):
            continue
        before, after = text[max(0, start - _SENTENCE_SPAN) : start], text[end : end + _SENTENCE_SPAN]
        before = before[max(before.rfind(mark) for mark in _SENTENCE_ENDS) + 1 :]
        ends = [at for at in map(after.find, _SENTENCE_ENDS) if at >= 0]
        after = after[: min(ends)] if ends else after
        words = WORD.findall(before) + WORD.findall(after)
        found[forms[written]].append({word for word in words if word[0].isupper() and word in names})
    return found


_LISTED = ","  # the mark of a use in a list of names (no word: a phrase is letters)
_AND = frozenset({"and", "And", "AND"})


def _listed(text: str, start: int, end: int, names: set[str]) -> bool:
    """Whether the use at ``start``-``end`` is an item of a list of names: a name and a comma (or
    semicolon) before it or after it, an "and" between allowed ("Dibon, and Ataroth, and Aroer")."""
    before = text[max(0, start - 40) : start].split()
    if before and before[-1] in _AND:
        before.pop()
    if before and before[-1][-1] in ",;" and _a_name(before[-1][:-1], names):
        return True
    if text[end : end + 1] not in (",", ";"):
        return False
    after = text[end + 1 : end + 40].split()
    if after and after[0] in _AND:
        after.pop(0)
    return bool(after) and _a_name(after[0].rstrip(",;:."), names)


# ---------------------------------------------------------------- the end of a list of names

_LIST_READ = 600  # characters read after a use for the rest of its list and the list's end
_LIST_OTHERS = 2  # names of the list beside the spelling, at least
# The words that join the items of a list, and the Spanish "á" written before a person ("y á Arisai").
_JOINS = {"en": "and", "es": "y e á a", "fr": "et", "de": "und"}
# Words of number and of belonging before a plural: "thirteen cities", "their cities", "Diez hijos".
_COUNT_WORDS = {
    "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty hundred all both these those their his her",
    "es": "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince veinte treinta "
    "cuarenta cincuenta ciento cien todos todas estos estas sus",
}
_LIST_ARTICLES = frozenset("the los las les die".split())
# Whose the list's names are: "the sons of Shimhi", "Diez hijos de Amán".
_LIST_KIN = frozenset("sons daughters children brethren brothers sisters hijos hijas hermanos".split())
_PEOPLE_PLURALS = ("ites", "ians", "enes", "itas")  # "…, Levites;": the people of the list


@functools.cache
def _list_table(table: str, language: str) -> frozenset[str]:
    source = {"joins": _JOINS, "counts": _COUNT_WORDS}[table]
    return frozenset(source.get(language, source["en"]).split())


def _chunks(window: str) -> list[tuple[str, str]]:
    """The words of ``window`` split at white space, each as (the word, the marks after it):
    ("Shimrath", ","), ("the", "")."""
    found = []
    for chunk in window.split():
        core = chunk.rstrip(",;:.!?")
        found.append((core, chunk[len(core) :]))
    return found


def _list_end(text: str, start: int, end: int, item: Callable[[str], bool], language: str) -> bool:
    """Whether the use at ``start``-``end`` is an item of a list of names (``_LIST_OTHERS`` more
    at least, joined by commas, semicolons or "and", across lines of verse) whose end says what
    its names are: "…, and Shimrath, the sons of Shimhi"; "…, and Tob-adonijah, Levites;";
    "…, and Sharuhen; thirteen cities and their villages"; "… y á Vaizatha, Diez hijos de Amán".
    Only a list that runs on to such an end from the use is one (see ``_identity``); ``item``
    says which words may be its names (see ``_Judge.list_item``)."""
    joins, counts = _list_table("joins", language), _list_table("counts", language)
    others = 0
    # Before the use: names joined to it ("And Adaiah, and Beraiah").
    joined = False
    for word, marks in reversed(_chunks(text[max(0, start - 200) : start])):
        if word.lower() in joins and not marks:
            joined = True
            continue
        if (marks in (",", ";") or (joined and not marks)) and item(word):
            others += 1
            joined = False
            continue
        break
    # After it: more names, then the list's end.
    after = text[end : end + _LIST_READ]
    marks = after[:1] if after[:1] in (",", ";") else ""
    chunks = _chunks(after[len(marks) :])
    joined = False
    for at, (word, word_marks) in enumerate(chunks):
        if marks in (",", ";") and _identity(chunks[at:], counts):
            return others >= _LIST_OTHERS
        if word.lower() in joins and not word_marks:
            joined = True
            continue
        if (marks or joined) and item(word) and word_marks in ("", ",", ";"):
            others += 1
            marks, joined = word_marks, False
            continue
        return False
    return False


def _identity(chunks: list[tuple[str, str]], counts: frozenset[str]) -> bool:
    """Whether the words at a list's end say what its names are: whose children they are ("the
    sons of Shimhi", "Diez hijos de Amán"), a count of things ("thirteen cities", "their
    cities"), or a people ("Levites;")."""
    words = [word for word, _ in chunks[:5]]
    if not words:
        return False
    first = words[0]
    if first[:1].isupper() and first.endswith(_PEOPLE_PLURALS) and chunks[0][1][:1] in (",", ";", ".", ":"):
        return True
    at = 1 if first.lower() in _LIST_ARTICLES else 0
    counted = at < len(words) and words[at].lower() in counts
    at += counted
    if at < len(words) and words[at] in _LIST_KIN:
        return at + 2 < len(words) and words[at + 1] in ("of", "de") and words[at + 2][:1].isupper()
    return counted and at < len(words) and words[at].islower() and words[at].endswith("s")


def _parent_of_named(text: str, start: int, names: Container[str]) -> bool:
    """Whether the use at ``start`` is the parent of a child the text names: "Geuel the son of
    Machi", "Ethan, the son of Kishi" (not "a daughter of Abraham", "the children of Benjamin")."""
    words = text[max(0, start - 60) : start].split()
    if len(words) < 3 or words[-1] not in ("of", "de") or words[-2] not in _KINSHIP | _KIN_PLURALS:
        return False
    child = words[-4] if words[-3] in ("the", "el", "la") and len(words) > 3 else words[-3]
    return child.rstrip(",") in names


def _a_name(word: str, names: Container[str]) -> bool:
    """Whether ``word`` is one of ``names``, or a compound name whose first part is ("Beth-palet")."""
    return word[:1].isupper() and (word.title() in names or word.split("-")[0].title() in names)


def _inflected(variant: str, model: str) -> bool:
    """The variant is the model with another ending of one or two letters, two edits away: the
    stem kept and its ending changed, as a language inflects a name (Latin's vocative "Saturnine"
    and plural "Andronici" beside Saturninus, Andronicus). A typist's slip is one edit; written
    so again and again, it is a form of the name the writer means."""
    a, b = variant.lower(), model.lower()
    stem = 0
    while stem < min(len(a), len(b)) and a[stem] == b[stem]:
        stem += 1
    return max(len(a), len(b)) - stem <= 2 and OSA.distance(a, b) == 2


def _trigrams(word: str) -> set[str]:
    """The runs of three letters of a word, its start and end marked: "^sh", "she", …, "ah$"."""
    return _runs(word, 3)


def _runs(word: str, size: int) -> set[str]:
    """The runs of ``size`` letters of a word, its start and end marked ("^j", "jo", …, "n$" of John)."""
    marked = f"^{word.lower()}$"
    return {marked[at : at + size] for at in range(len(marked) - size + 1)}


class _Family:
    """A text's names: the runs of three letters each is made of, and which names used twice or
    more (a slip is seldom typed alike twice) are near a given one."""

    def __init__(self, uses: dict[str, int]) -> None:
        # Near-alike names: those used twice or more (a slip is seldom typed alike twice).
        self.words = sorted(word.lower() for word, used in uses.items() if used >= 2 and len(word) >= _MIN_MODEL)
        # Runs of letters: those of every name.
        self.trigrams: dict[str, set[str]] = {}
        for word in map(str.lower, uses):
            for run in _trigrams(word):
                self.trigrams.setdefault(run, set()).add(word)

    def near(self, word: str) -> list[str]:
        """The names within the edits a near miss of ``word`` may have, the first letter included."""
        lowered = word.lower()
        found = process.extract_iter(lowered, self.words, scorer=OSA.distance, score_cutoff=2)
        limit = _allowed_edits
        return [self.words[at] for _, distance, at in found if 0 < distance <= limit(word, self.words[at])]


_KINSHIP = frozenset(
    "father mother brother sister son daughter aunt uncle cousin wife husband "
    "padre madre hermano hermana hijo hija hijos tío tía mujer marido".split()
)
_KIN_PLURALS = frozenset("sons daughters children fathers brethren brothers sisters hijas".split())

_SUFFIXES = frozenset(
    "er ers ese ian ians ish ite ites ly an ans ic ics ine ism ist ists n ns "  # Nantucketer, Venetianly
    "io ia ios ias ita itas eo ense ano ino".split()  # Efesio, Gabaonita
)


def _derived(first: str, second: str) -> bool:
    """One is the other with the ending of a people, a place's dwellers or an adverb: Nantucketer,
    Venetianly, Efesio beside Efeso (a last vowel may give way to the ending)."""
    short, long = sorted((first.lower(), second.lower()), key=len)
    stems = (short, short[:-1]) if short[-1] in "aeiou" else (short,)
    return any(long.startswith(stem) and long[len(stem) :] in _SUFFIXES for stem in stems)


# What stands between a name said twice ("Thisne, Thisne"): no sentence's end ("... Kestren.
# Kestren, the water": two speeches).
_BETWEEN_REPEATS = r",;:'’\"”“ \t\n-"
_CONTEXT = 24  # characters read on each side of a use for the words written beside it
# Articles: a name written after one is a thing (a ship, a book, an inn: "the Antoniad"), a
# people or a family; a person is seldom "the Antonius".
_ARTICLES = {
    "en": "the",
    "es": "el la los las",
    "de": "der die das dem den des",
    "fr": "le la les",
}
# Words of place written right after a name ("Berkley castle", "Windsor forest"), or capitalised
# after its possessive ("Gray's Inn", "Lincoln's Inn"): the name names a place there.
_PLACE_AFTER = {
    "en": "castle abbey inn street road lane square park hall bridge gate court field fields forest "
    "wood moor heath hill church chapel palace tower priory manor",
}
# Words of more than one before a plural: "the two Servingmen".
_PLURAL_WORDS = {
    "en": "two three four five six seven eight nine ten twelve both these those several many",
}
# Forms of "be" and "have" before a past participle: "Petruchio is Kated".
_BE = {"en": "is was be been being am are were has have had"}
# Indefinite articles: "a Herod", "a Daniel come to judgment" (a kind of person named after one).
_INDEFINITE = {"en": "a an", "es": "un una", "fr": "un une", "de": "ein eine einen einem einer eines"}
# Possessives and "all" before a plural: "our Isbels", "all the Smiths".
_POSSESSIVES = {
    "en": "my our your their his her its all",
    "es": "mis tus sus nuestros nuestras vuestros vuestras todos todas",
    "fr": "mes tes ses nos vos leurs tous toutes",
    "de": "meine deine seine ihre unsere eure alle",
}


@functools.cache
def _table(table: str, language: str) -> frozenset[str]:
    source = {
        "articles": _ARTICLES,
        "place after": _PLACE_AFTER,
        "plural": _PLURAL_WORDS,
        "possessive": _POSSESSIVES,
        "indefinite": _INDEFINITE,
        "be": _BE,
    }[table]
    return frozenset(source.get(language, "").split())


def _next_word(after: str) -> str:
    """The word right after a use (one space between), as written; "" for none."""
    word = WORD.match(after, 1) if after[:1] == " " else None
    return word.group() if word is not None else ""


def _last_word(before: str) -> str:
    """The word right before a use (a space between), lower case; "" for none."""
    if not before.endswith((" ", "\t", "\n")):
        return ""
    words = before.split()
    return words[-1].lower() if words and words[-1].isalpha() else ""


def _article(before: str, language: str) -> bool:
    """The use is written right after an article: "The Antoniad", "the Pequod"."""
    return _last_word(before) in _table("articles", language)


def _made_a_verb(variant: str, model: str) -> bool:
    """The variant is the model with a past participle's ending: "Kated" of Kate."""
    a, b = variant.lower(), model.lower()
    return a == b + "ed" or (b.endswith("e") and a == b + "d")


def _indefinite(before: str, language: str) -> bool:
    """The use is written right after an indefinite article: "a Herod", "a Daniel"."""
    return _last_word(before) in _table("indefinite", language)


def _plural_before(before: str, language: str) -> bool:
    """The use is written right after a word of number: "the two Servingmen"."""
    return _last_word(before) in _table("plural", language)


def _determined(before: str, language: str) -> bool:
    """The use is written right after an article, a possessive or a word of number: "our Isbels",
    "the Hallorans", "two Servingmen"."""
    word = _last_word(before)
    return any(word in _table(table, language) for table in ("articles", "plural", "possessive"))


def _placed(after: str, language: str) -> bool:
    """The use is followed by a word of place: "Berkley castle", "Gray's Inn"."""
    places = _table("place after", language)
    if not places:
        return False
    if after[:1] == " ":
        following = _next_word(after)
        return following.islower() and following in places
    if after[:3] in ("'s ", "’s "):
        word = WORD.match(after, 3)
        return word is not None and word.group()[0].isupper() and word.group().lower() in places
    return False


# Pronouns a language writes onto the end of a verb ("Dé" + "os", "dime", "tómalo").
_PRONOUNS_AFTER = {"es": "nos os les los las le lo la me te se"}


_FOREIGN_WORDS = 4  # lower-case words a line needs before its language is weighed (``_foreign_line``)
_OPEN_QUOTE = re.compile(r"(?:^|[\s(\[—-])['‘\"“«](?=[^\W\d_])")
_CLOSE_QUOTE = re.compile(r"(?<=[^\W\d_])[,.;:!?]*['’\"”»](?=$|[\s,.;:!?)\]—-])")


def _quoted(line: str, start: int, end: int) -> bool:
    """The word at ``line[start:end]`` is inside a quotation that opens and closes on its line."""
    opened = next(reversed(list(_OPEN_QUOTE.finditer(line, 0, start + 1))), None)
    if opened is None or _CLOSE_QUOTE.search(line, opened.end(), start):
        return False
    return _CLOSE_QUOTE.search(line, end - 1) is not None


# Pronouns and possessives that follow a verb, not a name, at the start of a sentence: "Pare thy
# nails", "Mark my words", "Bless us".
_OBJECTS = {"en": frozenset("thy thee thine your my me our us their them him his".split())}


def _object_after(after: str, language: str) -> bool:
    """The use is followed, after a space, by a pronoun or possessive of ``_OBJECTS``."""
    return _next_word(after) in _OBJECTS.get(language, ())


def _with_pronoun(word: str, language: str) -> bool:
    """The word is a common word of the language (of two letters or more) with a pronoun written
    onto its end: "Déos" (may He give you), not a name."""
    return any(
        word.lower().endswith(ending)
        and len(word) - len(ending) >= 2
        and common_word(word[: -len(ending)], language, _NOUN)
        for ending in _PRONOUNS_AFTER.get(language, "").split()
    )


def _men(variant: str, model: str) -> bool:
    """The variant is the model's plural in "-men": Servingmen beside Servingman."""
    a, b = variant.lower(), model.lower()
    return len(a) > 5 and a.endswith("men") and b.endswith("man") and a[:-3] == b[:-3]


def _womans(variant: str, model: str) -> bool:
    """One spelling is the other's word for a woman, "-woman" or "-women" where the other has
    "-man" or "-men": a FRENCHWOMAN beside a FRENCHMAN, a Gentlewoman beside a Gentleman, two
    people (a typist's slip is one edit; this is two). For the word the text also writes in
    lower case, see ``_a_word_of_the_text``; a nationality keeps its capital."""
    a, b = sorted((variant.lower(), model.lower()), key=len)
    return any(
        a.endswith(man) and b.endswith(woman) and a[: -len(man)] == b[: -len(woman)]
        for man, woman in (("man", "woman"), ("men", "women"))
    )


def _adjective(variant: str, model: str) -> bool:
    """The variant is a word made from the model with the ending of a people or an adjective,
    two edits away: "Philippan" (his sword Philippan) beside Philippi; "your Sicilian shores"
    beside Sicilius, a Latin name whose "-us" gives way to the ending. A typist's slip is one edit."""
    if OSA.distance(variant.lower(), model.lower()) != 2:
        return False
    lowered, stem = variant.lower(), model.lower().removesuffix("us")
    latin = stem != model.lower() and lowered.startswith(stem) and lowered[len(stem) :] in _SUFFIXES
    return latin or _derived(variant, model)


_PEOPLE_ENDINGS = ("ite", "ites", "ene", "enes")


def _people(variant: str, model: str) -> bool:
    """The variant names the people of the model's place or father, with a last letter or two
    giving way to the ending: Benjamite beside Benjamin, Nazarene beside Nazareth. Two letters
    at least change: one edit that happens to end so is a slip (Catherite for Catherine)."""
    a, b = variant.lower(), model.lower()
    return (
        len(b) > 5
        and a.startswith(b[:-2])
        and a.endswith(_PEOPLE_ENDINGS)
        and not b.endswith(_PEOPLE_ENDINGS)
        and OSA.distance(a, b) >= 2
    )


_FOUNDERS = ("ites", "ite", "ians", "ian", "ish", "ese")  # the endings of a people named after someone


def _founded(variant: str, model: str, counts: dict[str, int]) -> bool:
    """The variant names the people of another name of the text, not the model's: "Hezronites"
    (of Hezron, a name of the text) beside Hebronites, "Korahites" (of Korah) beside Kohathites.
    A slip of the model seldom makes another name of the book with a people's ending."""
    lowered = variant.lower()
    for ending in _FOUNDERS:
        stem = variant[: -len(ending)]
        if lowered.endswith(ending) and len(stem) >= _MIN_MODEL and stem != model and counts.get(stem, 0):
            return not model.lower().startswith(stem.lower())
    return False


def _own_people(variant: str, model: str, counts: dict[str, int]) -> bool:
    """The text names a people after the variant and none after the model: "Shaul" beside Saul,
    with "of Shaul, the family of the Shaulites" and no "Saulites". A slip is typed where the
    name is meant; the writer does not name a family after it."""
    return any(counts.get(variant + ending) and not counts.get(model + ending) for ending in _FOUNDERS)


def _singular(word: str, counts: dict[str, int]) -> str | None:
    """The singular of ``word`` as an English plural is made, where the text uses it: "Cressid" for
    "Cressids", "Jones" for "Joneses"; not "Count" for "Countes" ("-es" follows s, x, z, ch, sh)."""
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")) and word[:-2] in counts:
        return word[:-2]
    return word[:-1] if word.endswith("s") and word[:-1] in counts else None


def _stem(word: str, counts: dict[str, int]) -> str | None:
    """The singular of a plural that the text also uses: "Coxe" for "Coxes"."""
    for ending in ("s", "es"):
        if word.endswith(ending) and word[: -len(ending)] in counts:
            return word[: -len(ending)]
    return None


def _rare_word(word: str, language: str) -> bool:
    """A word of the language's large list that no list of names knows ("pewter")."""
    return listed(word, language) and not known_name(word)


def _name_after(after: str) -> bool:
    """The use is followed by a word with a capital: "Tutus Aufidius"."""
    return _next_word(after)[:1].isupper()


def _knowledge(word: str, language: str) -> bool:
    """Whether the language knows ``word`` as a name or a word."""
    return known_name(word) or zipf(word, language) > 0


def find_variants(
    stats: NameStats,
    memo: PartMemo | None = None,
    size: int = 0,
    paired: tuple[dict[str, int], list[tuple[str, str]]] | None = None,
) -> dict[str, Variant]:
    """Every spelling that is a variant, with the spelling it misses (evidence that still holds
    taken from ``memo``: checks/evidence_memo.py). ``size`` (characters of the sources; 0: not
    said) lets many pairs be judged on two cores (``_judged``). ``paired``: ``variant_pairs``'s
    answer for ``stats``, when the caller has it already."""
    counts, pairs = variant_pairs(stats) if paired is None else paired
    if not pairs:
        return {}
    stems = [
        (stem, stem)
        for pair in pairs
        for word in pair
        for stem in dict.fromkeys((_stem(word, counts), _singular(word, counts)))
        if stem
    ]
    judge = _Judge(stats, pairs + stems, memo, counts)
    typos = [pair for pair, typo in zip(pairs, _judged(judge, pairs, size), strict=True) if typo]
    apart = judge.apart(typos) | judge.own_company(typos)
    found: dict[str, Variant] = {}
    for word, model in typos:
        if (word, model) in apart:
            continue  # their uses say two names: a phrase of the name's own, a roll of names
        in_bible = judge.bible_name(model)
        variant = Variant(word, model, counts[model], in_bible, own_uses=counts[word])
        if not in_bible and counts[word] > _EDGE_RARE:
            # Both in real use: the more frequent is right only if nothing says otherwise.
            knows_word, knows_model = _knowledge(word, stats.language), _knowledge(model, stats.language)
            if knows_word and not knows_model:
                # The rarer spelling is the one the language knows: the other is its typo, if
                # the evidence says so the other way round too.
                if not judge.typo(model, word):
                    continue
                found.setdefault(model, Variant(model, word, counts[word], False, own_uses=counts[model]))
                continue
            unsure = knows_word == knows_model
            if unsure and judge.side_by_side(word, model):
                continue  # two spellings in real use, written in one sentence: two people
            variant = Variant(word, model, counts[model], False, unsure=unsure, own_uses=counts[word])
        best = found.get(word)
        if best is None or _preferred(word, variant) > _preferred(word, best):
            found[word] = variant
    return found


def _preferred(word: str, variant: Variant) -> tuple[bool, int, int]:
    """Which of the names a spelling misses it is suggested (and --fix writes): a bible name
    first, then the nearest ("Attejdant", one edit from Attendant and two from Attendants), then
    the one used most."""
    return variant.in_bible, -OSA.distance(word.lower(), variant.model.lower()), variant.uses


def variant_pairs(stats: NameStats) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Every spelling's uses (``_counts``), and the pairs (spelling, the name it may miss) the
    judge is to weigh: each near miss of a name used far more often, or of a bible name."""
    counts = _counts(stats)
    named = {*stats.bible, *stats.cue_words}
    long_enough = {word for word in counts if len(word) >= _MIN_MODEL}
    models = _Models(word for word in long_enough if counts.get(word, 0) >= _RATIO or word in named)
    pairs: list[tuple[str, str]] = []
    for word, uses in counts.items():
        if word in stats.bible or word in stats.ok:
            continue
        for model in models.near(word):
            if model in stats.ok or (word, model) in stats.distinct:
                continue
            plural = _plural(word, model) and not _cut_short(word, model, counts, stats.language)
            if plural and not _lost_s_pair(word, model, counts):
                continue  # a singular; one written once is judged by _Judge.lost_s
            if word not in stats.named and not _capitals_judged(stats, word, model):
                continue
            in_bible = model in stats.bible
            if in_bible or counts[model] >= _RATIO * uses or (_edge(word, model) and counts[model] >= _EDGE_USES):
                pairs.append((word, model))
    return counts, pairs


def _a_word_of_the_text(stats: NameStats, word: str, part: bool = False) -> bool:
    """A cue's word that the text also writes in lower case, that the language knows and no list
    of names does: the word ("GENTLEWOMAN" beside "a gentlewoman"), no slip of a name (GENTLEMAN),
    however often the cue speaks. A slip that is a word of the text is no spelling any check can
    tell from the word. The bible's names are names. Asked by the judge, not while the pairs are
    found: on a large text the large word list (``listed``) is read meanwhile in another process
    (checks/run.py). With ``part``, a word of a bible name of several words counts too, unless
    the bible names someone by it alone (``_named_alone``)."""
    return (
        (word not in stats.bible or (part and not _named_alone(stats, word)))
        and word.lower() in stats.lower
        and listed(word, stats.language)
        and not known_name(word)
    )


def _mostly_a_word(stats: NameStats, word: str, counts: dict[str, int]) -> bool:
    """A cue's word that the text writes in lower case as often as with a capital, a word of
    the language (Zipf 3 or more: "lion" beside the cue LION) that no list of names knows
    ("here", 300 times, and a cue HERE STAND I, as an edition prints a line of speech in bold):
    no character's name, so no name that a spelling some list knows misses ("Herne the hunter");
    one no list knows is still its slip ("Sobdiers" for the SOLDIERS of a cue). Capitals at a
    sentence's start count as uses of it. A name that is also a word (Will, Rose) is known to the
    lists of names; a name written with a capital far more often than in lower case (Hero, a
    hero) is the name. So is a word of a bible name of several words ("Here" of a character
    "Here Stand I", as a bible listing every cue of that edition has it): the bible names
    someone by the whole, not by the word."""
    return (
        _a_word_of_the_text(stats, word, part=True)
        and common_word(word, stats.language, _NOUN)
        and stats.lower_counts.get(word.lower(), 0) >= counts.get(word, 0)
    )


def _named_alone(stats: NameStats, word: str) -> bool:
    """The bible names a character by ``word`` alone: as the name, an alias or the cue it gives
    ("Gentleman"; not "Here" of "Here Stand I", whose default cue HERE no writer gave)."""
    character = stats.bible.get(word)
    if character is None:
        return False
    forms = (character.name, *character.aliases, *((character.cue,) if character.cue else ()))
    return any(form.strip().lower() == word.lower() for form in forms)


# Pairs judged on two cores (toolkit/parallel.py) where a large text has this many (a pair takes
# ~4 ms: 165 of the published million words took 0.7 s), this many a job (the two processes
# take the next job each, so a few slow pairs do not leave one waiting on the other).
_SHARED_PAIRS = 40
_PAIRS_A_JOB = 8


def _judged(judge: _Judge, pairs: list[tuple[str, str]], size: int) -> list[bool]:
    """Whether each pair is a typo (``_Judge.typo``), in order. The judge's answers hang on the
    text alone, not on the pairs judged before (what it keeps is what it worked out, the same
    in either process), so the pairs of a large text are shared out between two processes."""
    from toolkit import parallel

    if size < parallel.CONCURRENT_CHARACTERS or len(pairs) < _SHARED_PAIRS:
        return _typos(judge, pairs)
    jobs = [
        functools.partial(_typos, judge, pairs[start : start + _PAIRS_A_JOB])
        for start in range(0, len(pairs), _PAIRS_A_JOB)
    ]
    return [typo for judged in parallel.each(jobs, size=size) for typo in judged]


def _typos(judge: _Judge, pairs: list[tuple[str, str]]) -> list[bool]:
    return [judge.typo(word, model) for word, model in pairs]


def _cut_short(word: str, model: str, counts: dict[str, int], language: str) -> bool:
    """The spelling is the name with its last "s" or "es" lost, not the name's singular: used
    once and known to no word list or name list ("Brutu" for Brutus, "Lewi" for Lewis, where the
    "s" is the name's own). A singular the text means (Halloran beside "the Hallorans") is a
    name the lists know, or is written again; and the singular of a people ("an Israelite" beside
    the Israelites: the endings ``_people`` knows) is a word, however few lists know it."""
    return (
        len(word) < len(model)
        and counts[word] == 1
        and not model.lower().endswith(tuple(ending for ending in _PEOPLE_ENDINGS if ending.endswith("s")))
        and not _knowledge(word, language)
    )


def _odd_pair(variant: str, model: str) -> bool:
    """The variant writes a pair of letters the model lacks that hardly a real name has (fewer
    than ``_ODD_PAIR``: "^oj", "jh" of "Ojhnson", "ii" of "Miiram"; not "ar" of "Webbar")."""
    return any(names_writing(pair) < _ODD_PAIR for pair in sorted(_runs(variant, 2) - _runs(model, 2)))


def _lost_s_pair(word: str, model: str, counts: dict[str, int]) -> bool:
    """The spelling is ``model`` with its last "s" dropped, written once (see ``_Judge.lost_s``)."""
    return counts.get(word) == 1 and model.endswith("s") and word == model[:-1] and len(word) >= _MIN_MODEL - 1


def _phrase_of(context: tuple[str, str], side: int) -> str:
    """The two words right before a use (``side`` 0) or right after it (1, a possessive kept:
    "’s Funeral March"), lower case, or "" where the use's sentence ends or starts between.
    Split on white space, no regular expression: linear on any text."""
    before, after = context
    if side == 0:
        words = before.split()
        if not before[-1:].isspace() or len(words) < 2 or (len(words) == 2 and not before[:1].isspace()):
            return ""  # a word cut by the window's start is no word
        phrase = words[-2:]
    else:
        rest = after.replace("’", "'")
        possessive = rest.startswith("'s")
        rest = rest[2:] if possessive else rest
        words = rest.split()[:2]
        if not rest[:1].isspace() or len(words) < 2:
            return ""
        second = "".join(itertools.takewhile(str.isalpha, words[1]))
        phrase = (["'s"] if possessive else []) + [words[0], second]
    if not all(word == "'s" or word.isalpha() for word in phrase):
        return ""
    return " ".join(word.lower() for word in phrase)


def _counts(stats: NameStats) -> dict[str, int]:
    """Uses of every candidate, and of every bible name and cue word even where the text also
    writes it in lower case (WILL); and of a name the text writes in capitals far more often than
    in lower case (Flask, 104 times, and a flask or two)."""
    counts = stats.candidates()
    for word in (*stats.bible, *stats.cue_words):
        counts.setdefault(word, stats.counts.get(word, 0))
    for word, lowered in stats.lower_counts.items():
        capitals = stats.counts.get(word.title(), 0)
        if capitals >= _MOSTLY_CAPITALS * lowered and len(word) >= _MIN_MODEL and word.title() not in NOT_NAMES:
            counts.setdefault(word.title(), capitals)
    return counts


def _capitals_judged(stats: NameStats, word: str, model: str) -> bool:
    """A word written only in capitals in the action ("ESTEFAN KOVACS enters") is judged
    against the cues and the bible, unless it is a word of the language (a BOOM, a CRASH)."""
    return (
        word in stats.capitals
        and (model in stats.cue_words or model in stats.bible)
        and zipf(word, stats.language) < _NOUN
    )
