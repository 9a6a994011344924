"""What the text around a spelling says: is it a character, and is a near miss of it a typo?

The name rules judge a near miss from evidence, not from capitals alone. Per spelling, one scan
of the text collects how each use is written: the titles before it ("Mr. Fennell", "Captain
Ahab"), the names beside it ("Sir Thomas Baker", "G. A. Henty", "Landon Ronald", "hijo de
Isaí"), whether it speaks or acts ("said Emma", "Ahab went"), and whether the sentence points
at the spelling itself ("she wrote Smyth instead of Smith", "[sic]"). The word tables are per
language, English when the project's language has none.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from rapidfuzz.distance import OSA

from toolkit.model import MONTH_NAMES, WEEKDAY_NAMES

WORD = re.compile(r"[^\W\d_]+")


def alternatives(forms: Iterable[str]) -> str:
    """A regular expression (a group) that matches any of ``forms`` (words), as an alternation of
    them longest first matches them, followed by what follows it, but built as a tree of their
    letters ("Ann(?:a(?:bel)?|e)?"): at each place only the forms that begin alike are tried.
    Where a form and a longer one both begin there, the longer is tried first, and the shorter
    once what follows rejects the longer, as in the alternation: the same matches. An alternation
    of hundreds of names tried each of them at every capital of a million words (three times as
    long as the tree). No forms: a group that matches nothing."""
    tree: dict[str, dict] = {}
    for form in forms:
        node = tree
        for letter in form:
            node = node.setdefault(letter, {})
        node[""] = {}
    return _branches(tree) if tree else "(?!)"


def _branches(node: dict[str, dict]) -> str:
    """The group for the forms below ``node`` (``""`` marks a form that ends there)."""
    below = [re.escape(letter) + _branches(rest) for letter, rest in sorted(node.items()) if letter]
    if not below:
        return ""
    if len(below) == 1 and "" not in node:
        return below[0]
    group = "(?:" + "|".join(below) + ")"
    return group + "?" if "" in node else group


def word_counts(text: str) -> Counter[str]:
    """How often each word (a run of letters) is used in ``text``, in order of first use.

    Whitespace-separated tokens are counted first (str.split runs in C), then each distinct
    token is cut into words: "Margot's," and "door—Margot" hold a name among punctuation.
    """
    words: Counter[str] = Counter()
    known = words.get
    for token, uses in _token_counts(text).items():
        if token.isalpha():  # letters alone ("the", "Emma"): the token is its one word
            words[token] = known(token, 0) + uses
            continue
        # Letters between punctuation ("Emma,", "“Yes!”"): those letters are its one word, found
        # without the pattern (a search per distinct token took a third of the count).
        core = token.strip(_EDGES)
        if core.isalpha():
            words[core] = known(core, 0) + uses
            continue
        for word in WORD.findall(token):
            words[word] = known(word, 0) + uses
    return words


# Punctuation a word is written between; none of it is a letter (a test holds WORD to that).
_EDGES = string.punctuation + "“”‘’—–…«»„"


_CHUNK = 1 << 16  # characters split at a time


def _token_counts(text: str) -> Counter[str]:
    """``Counter(text.split())``, split a stretch at a time, each cut at a line break (where no
    token goes on): a whole text's list of tokens took five times the text's size in memory."""
    tokens: Counter[str] = Counter()
    start = 0
    while start < len(text):
        cut = text.find("\n", start + _CHUNK)
        end = len(text) if cut < 0 else cut + 1
        tokens.update(text[start:end].split())
        start = end
    return tokens


# Capitalised words that are never names, though a text may never write them in lower case.
NOT_NAMES = frozenset(
    [*MONTH_NAMES, *WEEKDAY_NAMES, "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Int", "Ext", "Cont", "Day"]
)

# Titles written before a name. Generic ones go before anybody's name ("Mr"), so sharing one
# says little; the others name a rank or a bond ("Captain", "Sir", "Aunt") and tell people apart.
GENERIC_TITLES = frozenset(
    "mr mrs ms mx miss mister master herr frau fräulein señor señora señorita don doña "
    "monsieur madame mademoiselle m mme mlle signor signora signorina".split()
)
TITLES = GENERIC_TITLES | frozenset(
    "dr doctor sir dame lady lord captain capt colonel col major general lieutenant lt sergeant sgt "
    "admiral commander professor prof rev reverend father mother sister brother aunt auntie uncle cousin "
    "grandma grandpa granny king queen prince princess duke duchess earl count countess baron baroness "
    "judge saint st inspector constable detective officer nurse "
    "doktor tante onkel graf gräfin pfarrer "  # de
    "rey reina príncipe princesa capitán general profeta sacerdote tío tía fray sor doctor "  # es
    "roi reine prince princesse capitaine père mère abbé".split()  # fr
)

# Verbs that make the word beside them someone who speaks or acts: "said Emma", "Ahab went".
_SPEAKS = {
    "en": "said says asked asks replied replies answered answers cried exclaimed whispered shouted added "
    "told tells continued muttered murmured returned rejoined observed repeated declared began laughed sighed",
    "es": "dijo dice preguntó respondió contestó exclamó gritó añadió replicó murmuró habló llamó",
    "de": "sagte sagt fragte fragt antwortete rief meinte erwiderte flüsterte murmelte",
    "fr": "dit demanda répondit cria ajouta murmura reprit",
}
_ACTS = {
    "en": "came went looked thought felt knew saw took gave wrote read heard found watched noticed kept carried "
    "smiled nodded turned walked stood sat stayed wept laughed mended checked lit slept woke ran sailed rowed "
    "spoke comes goes looks thinks feels knows sees takes gives writes reads hears finds watches notices "
    "smiles nods turns walks stands sits enters exits runs sighs shrugs grabs pulls opens steps stares",
    "es": "vino miró pensó sabía tomó escribió oyó halló envió levantó engendró engendraron lloró",
    "de": "kam ging sah dachte wusste nahm gab schrieb hörte fand lachte stand saß",
    "fr": "vint alla regarda pensa savait vit prit donna écrivit entendit trouva",
}
# Words that make the name after them a place: "Mount Sina", "el pozo de Sira". Kept with the
# titles: a place word a character's name never has says the near miss is somewhere else.
_PLACES = {
    "en": "mount mountain river lake sea city town village street road lane square island isle cape port fort "
    "bay county hill valley castle abbey park hall house well",
    "es": "monte montes río ciudad villa pozo valle desierto tierra mar isla campo campos puerto collado "
    "cueva peña arroyo",
    "de": "berg fluss stadt dorf straße insel",
    "fr": "mont fleuve ville village rue île",
}
# Prepositions of place: a word written after one is somewhere ("in Africa", "en Asia"), not someone.
_LOCATIVES = {
    "en": "in",
    "es": "en",
    "de": "in im nach",
    "fr": "dans en",
}
# Words before a name that make it somewhere, not someone: "in Kamon", "the spring of Harod",
# "the inhabitants of Kitron". "at", "to", "from", "by", "into", "near" and "toward" are left
# out: people are written after them as often as places ("came to David", "looked at Peter",
# "lays into Britta", "walks toward Jeff").
_SOMEWHERE = {
    "en": "in within",
    "es": "en",
    "de": "in im",
    "fr": "dans",
}
_CLAUSE_ENDS = frozenset(",.;:!?)\n")
_PLACE_KIND = {
    "en": "city town village land country wilderness desert mount mountain river brook spring valley plain border "
    "tower inhabitants south north east west",
    "es": "ciudad villa tierra desierto monte río arroyo fuente valle llanura término torre moradores habitantes",
    "de": "stadt dorf land berg fluss",
    "fr": "ville village pays mont fleuve",
}
# A name in a list of children: "The sons of Cush were: Seba, Havilah, Sabtah, Raamah",
# "Joktan became the father of Almodad, Sheleph", "Terah begat Abram, Nahor, and Haran",
# "Reumah also bore Tebah, Gaham": each child's parent is the head's name. Only a plural head
# with a colon (or "were") starts a list: "Joshua the son of Nun, and Caleb" lists nothing.
_LIST_HEAD = {
    "en": r"\b(?:sons|children|daughters)[ \t]+of[ \t]+({letters})(?:[ \t]+(?:were|are)[ \t]*:?|[ \t]*[:;])[ \t]"
    r"|(?<![^\W\d_])({letters}),?[ \t]+(?:also[ \t]+)?(?:became[ \t]+the[ \t]+father[ \t]+of|fathered|begat|bore)[ \t]",
    "es": r"\b(?:hijos|hijas)[ \t]+de[ \t]+({letters})(?:[ \t]+(?:fueron|son)[ \t]*:?|[ \t]*[:;])[ \t]"
    r"|(?<![^\W\d_])({letters}),?[ \t]+(?:también[ \t]+)?(?:engendró|engendraron|dió[ \t]+a[ \t]+luz[ \t]+a)[ \t]",
}
_LIST_GLUE = frozenset("and chief were are also y fueron son".split())
_LIST_VERBS = frozenset("of begat bore fathered de engendró".split())
_LIST_WINDOW = 400  # characters read back from a name for its list's head
# The word before "of" before a name: "the spring of Harod", "la tierra de Gosén".
_OF_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[ \t]+(?:of|de|del)[ \t]+(?:the[ \t]+)?$")
_OF_BEFORE_ENDS = frozenset({"of", "de", "del", "the"})  # the words it can end with (see _word_before)
# A name that is someone's parent: "the sons of Raamah", "the father of Terah".
_PARENT_OF = re.compile(
    r"\b(?:sons|children|daughters|son|daughter|father|mother|hijos|hijas|hijo|hija|padre|madre)[ \t]+(?:of|de)[ \t]+$"
)
_PARENT_OF_ENDS = frozenset({"of", "de"})
# A people or a role written after a name: "Hirah, the Adullamite", "Elijah the Tishbite",
# "Shebna the scribe", "Zephaniah the second priest". A people is who someone is (company); a
# role can be given to anyone and be written of one person only now and then ("Elijah the
# prophet"): two roles tell two people apart only where each has its own.
_ROLE_AFTER = re.compile(
    r",?[ \t]+the[ \t]+(?:[a-z]+[ \t]+)?(scribe|priest|prophet|recorder|seer|governor|steward|[A-Z][a-z]*ites?)\b"
)
# Words that tie a name to another person's: "son of Jesse", "hijo de Isaí".
_KIN = {
    "en": r"(?:the[ \t]+)?(?:son|daughter|wife|widow|husband|brother|sister)[ \t]+of",
    "es": r"(?:hijo|hija|hijos|mujer|marido|hermano|hermana|padre|madre)[ \t]+de",
    "de": r"(?:Sohn|Tochter|Frau|Witwe)[ \t]+(?:des|der|von)",
    "fr": r"(?:fils|fille|femme|veuve)[ \t]+de",
}
# A child's word in those ties: two people with different fathers are two people.
_CHILD = frozenset("son daughter hijo hija sohn tochter fils fille".split())
# A rank written after a name ("Sihon king of the Amorites", "Ahaz the king of Judah").
_RANK_OF = re.compile(
    r",?[ \t]+(?:the[ \t]+)?(king|queen|prince|princess|priest|prophet|rey|reina|príncipe|sacerdote)[ \t]+(?:of|de)\b"
)
# Words that introduce someone new by name: "a man named Carver", "que se llamaba Michâ", "this is
# one Lucianus" (a person of that name).
_INTRODUCED = {
    "en": r"(?:named|called|one)",
    "es": r"(?:llamado|llamada|llamaba|nombre)",
    "de": r"(?:namens|genannt|hieß)",
    "fr": r"(?:nommé|nommée|appelé|appelée|appelait)",
}
# Words that point at a spelling as such: the writer means it ("wrote Smyth instead of Smith").
# Words that say how a word is written or sounded ("mal escrito", "(accented)") count too; the
# plain verbs for writing do not: "está escrito" (it is written) opens a quotation in every
# chapter of a Bible, and says nothing about a spelling.
_POINTERS = {
    "en": r"instead of|rather than|\bsic\b|misspel|misprint|mis-spel|\bspelt\b|\bspelled\b|\bspelling|\btypo"
    r"|\baccent|pronounc|\bdrawl|\blisp",
    "es": r"en vez de|en lugar de|\bsic\b|mal escrit|escribió mal|se escribe|errata|\bacento|pronunci",
    "de": r"statt|anstatt|\bsic\b|falsch geschrieben|Schreibfehler|Druckfehler|Schreibweise|Akzent|aussprach",
    "fr": r"au lieu de|\bsic\b|mal écrit|orthograph|coquille|faute de frappe|\baccent|prononc",
}
# Languages that capitalise their nouns: a capitalised word of the language is a noun, not a name.
NOUNS_CAPITALISED = frozenset({"de", "lb"})

_LETTERS = r"[^\W\d_]+"
MAX_USES = 150  # uses read per spelling
# How far from a use ``gather`` reads the text: back to the head of a list of children
# (``_LIST_WINDOW``) and a little more for the patterns' own look-behinds; ahead, up to 60
# characters and a character past them. A chapter's uses gathered with this much of the text
# on each side give what the whole text gives (resolve/presence.py); a window that reads
# farther must raise these (tests/resolve/test_presence.py compares the two on a real book).
REACH_BEFORE = 512
REACH_AFTER = 128
_BEFORE = re.compile(rf"({_LETTERS})(\.?)[ \t]+$")
_BEFORE_REVERSED = re.compile(rf"\n?[ \t]+(\.?)({_LETTERS})")  # _BEFORE on the window read backwards
_AFTER = re.compile(rf"[ \t]+({_LETTERS})")
_STARTS = re.compile(r"(?:^|[.!?:;\"“‘(\n])[ \t]*$")
_INSIDE = re.compile(r"(?:[^\W\d_A-Z]|,)[ \t\n]$")


@functools.cache
def _words(table: str, language: str) -> frozenset[str]:
    source = {
        "speaks": _SPEAKS,
        "acts": _ACTS,
        "places": _PLACES,
        "locatives": _LOCATIVES,
        "somewhere": _SOMEWHERE,
        "place kind": _PLACE_KIND,
    }[table]
    return frozenset(source.get(language, source["en"]).split())


@functools.cache
def _pattern(table: str, language: str) -> re.Pattern[str]:
    if table == "kin":
        return re.compile(rf"[ \t]+{_KIN.get(language, _KIN['en'])}[ \t]+({_LETTERS})")
    if table == "list head":
        heads = _LIST_HEAD.get(language, _LIST_HEAD["en"])
        return re.compile(heads.format(letters=_LETTERS))
    if table == "kin object":  # "los hijos de Ammón": someone's parent, whoever the children are
        return re.compile(rf"({_KIN.get(language, _KIN['en'])})[ \t]+$")
    if table == "kin before":  # "Ester hija de Abihail": Ester is Abihail's companion
        return re.compile(rf"({_LETTERS}),?[ \t]+{_KIN.get(language, _KIN['en'])}[ \t]+$")
    if table == "place":  # "el pozo de Sira", "the city of Corby", "el rey de Soba"
        places = "|".join(sorted(_words("places", language) | TITLES, key=len, reverse=True))
        links = "|".join(link.replace(" ", r"[ \t]+") for link in _PLACE_LINKS)
        return re.compile(rf"(?i:\b({places}))[ \t]+(?:{links})[ \t]+$")
    if table == "introduced":  # "a man named Carver", "a city called Nain": the word before kept
        introducing = _INTRODUCED.get(language, _INTRODUCED["en"])
        return re.compile(rf"(?:\b({_LETTERS})[ \t,]+)?\b{introducing}[ \t]+$", re.IGNORECASE)
    return re.compile(_POINTERS.get(language, _POINTERS["en"]), re.IGNORECASE)


# The words between a place word and the name after it: "the city of Corby", "el pozo de Sira".
_PLACE_LINKS = ("de", "del", "of", "of the", "von", "de la")


@functools.cache
def _ends(table: str, language: str) -> frozenset[str] | None:
    """The words that ``_pattern(table, language)`` (a pattern that ends at a use, after white
    space) can end with, in lower case: where the word before a use (``_word_before``) is none
    of them, the pattern cannot match there, and its search is left out (a search of a window
    ending at the use tries every place in it: ~20 µs a use). None: any word (the search is made)."""
    if table == "place":
        return frozenset(link.split()[-1] for link in _PLACE_LINKS)
    source = {"kin": _KIN, "introduced": _INTRODUCED}[table]
    tail = source.get(language, source["en"]).rsplit(r"[ \t]+", 1)[-1]
    words = tail.removeprefix("(?:").removesuffix(")").split("|")
    return frozenset(word.lower() for word in words) if all(word.isalpha() for word in words) else None


def _word_before(text: str, start: int) -> tuple[str, str, int] | None:
    """What ``_BEFORE.search(text, max(0, start - 40), start)`` finds, as its word, its dot and
    where it starts: the last word before ``start``, read backwards from there. The search tries
    every place of the window (~16 µs a use); this reads the window reversed from its end (its
    ``$`` matches before a last newline too, hence the ``\n?``). tests/checks/test_check_speed.py
    compares the two."""
    low = max(0, start - 40)
    found = _BEFORE_REVERSED.match(text[low:start][::-1])
    if found is None:
        return None
    return found.group(2)[::-1], found.group(1), start - found.end()


@dataclass
class Uses:
    """How one spelling is written, over all its uses."""

    titles: set[str] = field(default_factory=set)  # lower case, no dot: "mr", "captain"
    places: set[str] = field(default_factory=set)  # place words before it: "mount", "pozo"
    before: set[str] = field(default_factory=set)  # names or initials right before it
    given: set[str] = field(default_factory=set)  # those of them written right beside it ("Carl Weber")
    after: set[str] = field(default_factory=set)  # names right after it, or after "son of"
    acts: int = 0  # uses as one who speaks or acts
    pointed: bool = False  # a use beside words that point at a spelling ("Smyth instead of Smith")
    introduced: bool = False  # a use right after words that introduce a new name ("a man named Carver")
    inside: int = 0  # uses inside a sentence (after a lower-case word or a comma), not at its start
    compound: int = 0  # uses as part of a hyphenated name ("Bath" of Bath-sheba)
    address: int = 0  # uses as a form of address, set off by commas or ending the sentence (", Stace.")
    located: int = 0  # uses after a preposition of place ("in Africa", "en Cristo")
    opens: int = 0  # uses as the first word of a sentence, where any word has a capital
    parents: set[str] = field(default_factory=set)  # names after "son of", "hija de"
    ranks: set[str] = field(default_factory=set)  # ranks written after it: "king" of "Sihon king of"
    somewhere: int = 0  # uses as a place: "in Gibeon", "the spring of Harod"
    someone: int = 0  # uses as a person: one who acts, someone's child or parent
    roles: set[str] = field(default_factory=set)  # roles written after it: "scribe" of "Shebna the scribe"
    capped: bool = False  # as many uses read as are read: more may follow, unread

    def kind(self, least: int = 1) -> str | None:
        """ "place" or "person" when every use says the one (``least`` of them at least) and none
        the other, all uses read."""
        named = len(self.parents) + len(self.ranks) + len(self.roles) + len(self.titles - GENERIC_TITLES)
        person = self.someone + self.acts + named
        if self.capped:
            return None  # Judah is a man for 150 uses, then a land
        if self.somewhere >= least and not person:
            return "place"
        if person >= least and not self.somewhere:
            return "person"
        return None

    def companions(self) -> set[str]:
        """Titles, place words and names it is written with (generic titles included)."""
        return self.titles | self.places | self.before | self.after | self.ranks

    def strong(self) -> set[str]:
        """The companions that tell one person from another: not Mr, Mrs, Miss."""
        return (self.titles - GENERIC_TITLES) | self.places | self.before | self.after | self.ranks


def gather(
    text: str,
    spellings: Iterable[str],
    names: set[str],
    language: str,
    complete: dict[str, int] | None = None,
    *,
    within: tuple[int, int] | None = None,
    most: int = MAX_USES,
    counted: dict[str, int] | None = None,
) -> dict[str, Uses]:
    """The uses of each spelling in ``text`` (title case; its upper-case form counts too).

    ``names`` are the words that may stand beside a name as its companion (capitalised words
    the text never writes in lower case). One scan of the text for all spellings, literals
    first: a lookbehind tried at every position would cost five times as much. ``names`` is
    only asked whether a word is in it. ``complete`` hears, for each spelling whose evidence
    was complete before the end of the text, where its last use read ends (its offset).

    ``within`` (start, end) reads only the uses that start there, the text around them as it is
    (a chapter's uses, with the text of the chapters beside it: see ``REACH_BEFORE``); ``most``
    uses are read per spelling (fewer: the rest of a count begun elsewhere); ``counted`` hears
    how many uses of each spelling were read.
    """
    forms: dict[str, str] = {}
    for spelling in spellings:
        forms[spelling] = spelling
        forms.setdefault(spelling.upper(), spelling)
    found: dict[str, Uses] = {spelling: Uses() for spelling in set(forms.values())}
    if not forms:
        return found
    pattern = re.compile(rf"{alternatives(forms)}(?![^\W\d_])")
    speaks, acts = _words("speaks", language), _words("acts", language)
    kin, pointers = _pattern("kin", language), _pattern("pointers", language)
    kin_before, introduced = _pattern("kin before", language), _pattern("introduced", language)
    places, place_of = _words("places", language), _pattern("place", language)
    locatives = _words("locatives", language)
    kin_object = _pattern("kin object", language)
    somewhere, place_kind = _words("somewhere", language), _words("place kind", language)
    list_head = _pattern("list head", language)
    pointer_words = _pointer_words(language)
    place_ends, kin_ends, introducing = _ends("place", language), _ends("kin", language), _ends("introduced", language)
    seen: dict[str, int] = dict.fromkeys(found, 0)
    first, last = within if within is not None else (0, len(text))
    for match in pattern.finditer(text, first):
        start, end = match.span()
        if start >= last:
            break
        if start and (text[start - 1].isalpha() or text[start - 1] in "-'’"):
            continue
        spelling = forms[match.group()]
        # The evidence is there in the first uses; a main character's thousandth use adds none.
        if seen[spelling] >= most:
            continue
        seen[spelling] += 1
        uses = found[spelling]
        if seen[spelling] == most:
            uses.capped = True
            if complete is not None:
                complete[spelling] = end
        if (end < len(text) - 1 and text[end] == "-" and text[end + 1].isalpha()) or (
            start > 1 and text[start - 1] == "-" and text[start - 2].isalpha()
        ):
            uses.compound += 1
        opens = _STARTS.search(text, max(0, start - 3), start) is not None
        uses.opens += opens
        if end < len(text) and text[end] in ",.!?" and (opens or text[max(0, start - 2) : start] == ", "):
            uses.address += 1
        before = _word_before(text, start)
        if _INSIDE.search(text, max(0, start - 3), start):
            uses.inside += 1
        if before is not None:
            word, dot, where = before
            lowered = word.lower()
            if (
                word.islower()
                and (introducing is None or not word.isascii() or lowered in introducing)
                and (called := introduced.search(text, max(0, start - 40), start)) is not None
            ):
                uses.introduced = True
                # "a city called Nain", "a village named Emmaus": a place, not someone.
                kind = (called.group(1) or "").lower()
                uses.somewhere += kind in place_kind or kind in places
            if word in locatives:
                uses.located += 1
            # "buried in Kamon.", "the brook Kidron"; a preposition only where the clause ends
            # with the name: "in Henry and Eleanor" (what she sees in them), "in Jesus’ name" are
            # people.
            ends = end >= len(text) or text[end] in _CLAUSE_ENDS
            uses.somewhere += (lowered in somewhere and ends) or lowered in place_kind
            if lowered in places and not (word[0].isupper() and _STARTS.search(text, max(0, where - 3), where)):
                # "Mount Sinai", "the well Harod"; not "Well Harry, dare": a place word that opens
                # the sentence is an interjection as often as a place.
                uses.places.add(lowered)
            elif (
                word.islower()
                and (place_ends is None or word in place_ends)
                and (place := place_of.search(text, max(0, start - 30), start)) is not None
            ):
                uses.places.add(place.group(1).lower())
            of = _OF_BEFORE.search(text, max(0, start - 30), start) if word in _OF_BEFORE_ENDS else None
            if of is not None:
                ahead = of.group(1)
                # "the spring of Harod"; a person's place: "Zerah of Bozrah", "Mebunnai de Husa"
                uses.somewhere += ahead.lower() in place_kind or (
                    ahead[0].isupper() and ahead in names and ahead.lower() not in TITLES
                )
            if word in _PARENT_OF_ENDS and _PARENT_OF.search(text, max(0, start - 30), start):
                uses.someone += 1
            kin_word = word.islower() and (kin_ends is None or word in kin_ends)
            tie = kin_before.search(text, max(0, start - 60), start) if kin_word else None
            if tie is not None and tie.group(1)[0].isupper():
                uses.before.add(tie.group(1).title())
            elif kin_word and (parent := kin_object.search(text, max(0, start - 30), start)) is not None:
                uses.places.add(parent.group(1).split()[0].lower())
            if lowered in TITLES and (dot or word[0].isupper() or lowered in ("rey", "reina", "profeta")):
                uses.titles.add(lowered)
            elif lowered in speaks:
                uses.acts += 1
            elif (
                word[0].isupper()
                and ((len(word) == 1 and dot) or word in names or word.title() in names)
                and (len(word) == 1 or word.isupper() == match.group().isupper())
                and (known_given_name(word) or not _STARTS.search(text, max(0, where - 3), where))
            ):
                # A name beside it, or an initial: not a word that merely opens the sentence ("Then").
                uses.before.add(word.title())
                uses.given.add(word.title())
        listed = text[max(0, start - 2) : start] in (", ", ": ", "; ") or (
            before is not None and before[0] in _LIST_GLUE | _LIST_VERBS
        )
        if listed and (head := _list_parent(text, start, list_head)) is not None:
            uses.someone += 1
            uses.parents.add(head)
            uses.after.add(head)
        upper = match.group().isupper()
        after = _AFTER.match(text, end, end + 40)
        if after is not None:
            word = after.group(1)
            if word.lower() in speaks or word.lower() in acts:
                uses.acts += 1
            elif word[0].isupper() and word.isupper() == upper and (word in names or word.title() in names):
                uses.after.add(word.title())
        tied = kin.match(text, end, end + 60)
        if tied is not None and tied.group(1)[0].isupper():
            uses.after.add(tied.group(1).title())
            if set(WORD.findall(tied.group().lower())) & _CHILD:
                uses.parents.add(tied.group(1).title())
        rank = _RANK_OF.match(text, end, end + 30)
        if rank is not None:
            uses.ranks.add(rank.group(1).lower())
        role = _ROLE_AFTER.match(text, end, end + 40)
        if role is not None:
            (uses.ranks if role.group(1)[0].isupper() else uses.roles).add(role.group(1).lower())
        if not uses.pointed and _may_point(text, max(0, start - 60), end + 60, pointer_words, pointers):
            uses.pointed = _pointed_in_sentence(text, start, end, pointers)
    if counted is not None:
        counted.update(seen)
    return found


# Characters outside ASCII that case-insensitive matching takes for an ASCII letter: the Kelvin
# sign and "İ" (their lower case is "k", "i"), the dotless "ı" and the long "ſ" (Python's re
# treats them as "i" and "s"). tests/checks/test_check_speed.py checks this against re itself.
_ASCII_LOOKALIKES = re.compile("[\u212a\u0130\u0131\u017f]")


@functools.cache
def _pointer_words(language: str) -> tuple[str, ...] | None:
    """The words of the language's pointers pattern (``_POINTERS``), in lower case, when it is
    only plain ASCII words and phrases (``\\b`` aside): every match of it holds one of them. None
    when it is anything else (then every window is searched as it is)."""
    words = tuple(part.replace(r"\b", "").lower() for part in _POINTERS.get(language, _POINTERS["en"]).split("|"))
    if all(word and all(char.isascii() and (char.isalpha() or char in " -") for char in word) for word in words):
        return words
    return None


def _may_point(text: str, low: int, high: int, words: tuple[str, ...] | None, pointers: re.Pattern[str]) -> bool:
    """``pointers.search(text, low, high) is not None``, most windows answered without the search:
    a case-insensitive match of ASCII words is, in the window's lower case, one of ``words``
    itself, unless the window holds a character that matches an ASCII letter from outside
    ASCII (then the window is searched). An IGNORECASE alternation has no prefix the regular
    expression engine can skip to, so searching each use's window took a third of ``gather``."""
    if words is not None:
        window = text[low:high]
        if not _ASCII_LOOKALIKES.search(window):
            lowered = window.lower()
            if not any(word in lowered for word in words):
                return False
    return pointers.search(text, low, high) is not None


# Where a sentence ends: ".", "!" or "?" and a space (not after "Mr", "Dr", "St" or an initial),
# or a line that ends with a comma or colon and a next one that starts anew ("saying,\nTake"):
# verses, lines of verse and paragraphs are read one after another.
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<![A-Z][a-z])(?<![A-Z][a-z][a-z])[.!?][\"”’)\]]*\s|[,;:]\n(?=[A-Z¶])")


# Pointers that compare two words ("Smyth instead of Smith"): they point at the words right
# beside them, not at every name of their sentence.
_COMPARISONS = frozenset({"instead of", "rather than", "en vez de", "en lugar de", "statt", "anstatt", "au lieu de"})


def _pointed_in_sentence(text: str, start: int, end: int, pointers: re.Pattern[str]) -> bool:
    """Whether words that point at a spelling ("instead of", "[sic]") are in the sentence of the
    name at ``start``: "Take the Levites instead of…" in the next verse points at nothing here.
    A comparison points at the name only with one word at most between them ("wrote Gidoen
    instead of Gideon", "Smither's Yard instead of Smithers'"): "Solomon sat on the throne as
    king instead of David", "Instead of which king Rehoboam made shields" compare other words;
    and one right before the name only where another spelling of it stands before the comparison
    ("wrote Gideon instead of Gidoen"; not "rather than marry Paris", ``_spelling_before``)."""
    low = max(0, start - 60)
    for boundary in _SENTENCE_END.finditer(text, low, start):
        low = boundary.end()
    high = end + 60
    ending = _SENTENCE_END.search(text, end, high)
    if ending is not None:
        high = ending.start() + 1
    for match in pointers.finditer(text, low, high):
        if " ".join(match.group().lower().split()) not in _COMPARISONS:
            return True
        after = match.start() >= end
        between = text[end : match.start()] if after else text[match.end() : start]
        if between.startswith(("'s", "’s")) and after:
            between = between[2:]  # the name's possessive: "Smither's Yard instead of"
        if len(between.split()) <= 1 and (after or _spelling_before(text, low, match.start(), text[start:end])):
            return True
    return False


def _spelling_before(text: str, low: int, at: int, name: str) -> bool:
    """Whether the word right before ``at`` (from ``low``) is another spelling of ``name``: "wrote
    Gideon instead of Gidoen" compares two spellings; "rather than marry Paris", "Rather than
    Paris" compare a name with something else."""
    words = WORD.findall(text, low, at)
    if not words:
        return False
    word = words[-1]
    return word[:1].isupper() and word != name and OSA.distance(word.lower(), name.lower()) <= 2


def _list_parent(text: str, start: int, heads: re.Pattern[str]) -> str | None:
    """The parent heading the list of children that the name at ``start`` is in, if it is in one."""
    window = text[max(0, start - _LIST_WINDOW) : start]
    window = window[max(window.rfind("."), window.rfind("!"), window.rfind("?")) + 1 :]
    head = next(reversed(list(heads.finditer(window))), None)  # the last head before the name
    if head is None:
        return None
    parent = head.group(1) or head.group(2)
    if not parent[0].isupper():
        return None
    between = WORD.findall(window, head.end())
    if any(not (word[0].isupper() or word in _LIST_GLUE) for word in between):
        return None
    return parent.title()


# ---------------------------------------------------------------- real names


@functools.cache
def _name_list(name: str) -> frozenset[str]:
    data = resources.files("toolkit.resolve").joinpath("data", name).read_text(encoding="utf-8")
    # One name a line, none with white space inside (tests/resolve/test_name_lists.py): split
    # in C rather than stripped and lowered line by line (~35 M instructions less; issue 16).
    return frozenset(data.lower().split())


def known_given_name(word: str) -> bool:
    """Whether ``word`` is a real given name (US Social Security Administration list, see data/README.md)."""
    return word.lower() in _name_list("given-names.txt")


def given_to(word: str) -> str:
    """ "F" for a given name given to girls nine times in ten or more (Joan, Frances, Maria), "M" for
    one given so to boys (John, Francis, Mario), "" for any other word (see data/README.md)."""
    lower = word.lower()
    if lower in _name_list("female-given-names.txt"):
        return "F"
    return "M" if lower in _name_list("male-given-names.txt") else ""


@functools.cache
def names_writing(pair: str) -> int:
    """How many real given names and surnames (the lists of ``known_name``) write ``pair``, two
    letters, a name's start and end marked ("^jo", "oh", "n$"): a pair few names have ("jh",
    "ii", "hq") is an odd one for a name. Counted for the pairs asked, each once a process:
    a table of every pair of the 34,000 names took 0.17 s of a check that asks for a few."""
    if pair.startswith("^") or pair.endswith("$"):  # written at most once a name: counted in C
        return _marked_names().count(pair)
    return sum(pair in name for name in _real_names())


@functools.cache
def _real_names() -> tuple[str, ...]:
    return tuple(_name_list("given-names.txt") | _name_list("surnames.txt"))


@functools.cache
def _marked_names() -> str:
    """Every real name between "^" and "$", one after another (``names_writing``)."""
    return "".join(f"^{name}$" for name in _real_names())


def known_name(word: str) -> bool:
    """Whether ``word`` is a real given name or surname (see data/README.md): "Mario", "Baker", not "Carvet"."""
    return known_given_name(word) or word.lower() in _name_list("surnames.txt")
