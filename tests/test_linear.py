"""Linear, bounded work on any text: every regular expression of toolkit/ audited, each run on long
adversarial strings, and what replaced a super-linear one checked equal to it.

A regular expression can take quadratic or exponential time on text made for it (a run of spaces,
ten thousand “ with no ”). Each pattern of toolkit/ is listed here with why it cannot backtrack
past linear time; a new one fails the inventory until it is audited and added. Each compiled
pattern then meets strings of 50,000 characters built from its own signs: linear matching takes
milliseconds, quadratic minutes, so a generous alarm (not a speed measurement) tells them apart.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import random
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"
KEY = 60
FUNCTIONS = {"compile", "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split"}

# A tree of literal letters (name_evidence.alternatives): no repetition, each branch opened by
# its own letter, so a place is read once down one branch at most; then a fixed-width lookahead.
_TREE = "literal letters as a tree (no repetition), a fixed-width lookahead"
# (module, the pattern as written, cut to KEY characters) -> why it is linear on any text.
AUDITED = {
    (
        "checks.name_variants",
        "'(?:^|[\\\\s(\\\\[—-])[\\'‘\\\\\"“«](?=[^\\\\W\\\\d_])'",
    ): "a quotation mark after one optional sign, a fixed-width lookahead",
    (
        "checks.name_variants",
        "'(?<=[^\\\\W\\\\d_])[,.;:!?]*[\\'’\\\\\"”»](?=$|[\\\\s,.;:!?)\\\\]—-])'",
    ): "one run of marks, started only right after a letter (a lookbehind), ended by a quotation mark",
    (
        "checks.name_variants",
        "f'(?:^[{between}]*{name}\\\\b)|(?:\\\\b{name}[{between}]*$)'",
    ): "searched in a window of 24 characters each side of a name (_Judge.contexts)",
    ("checks.dates", "'[^\\\\W\\\\d_]+'"): "one class, repeated",
    (
        "checks.encoding",
        "'(?<=[^\\\\W\\\\d_])[ÕÔ](?=(?:s|t|d|m|ll|re|ve|S|T|D|M|LL|RE|VE)",
    ): "one letter between fixed-width lookarounds",
    ("checks.encoding", "'[Â-ô][\\x80-¿ŒœŠšŸŽžƒˆ˜–—‘-„†-•…‰‹›€™]'"): "two characters",
    (
        "resolve.name_evidence",
        "'(?:[^\\\\W\\\\d_A-Z]|,)[ \\\\t\\\\n]$'",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "'(?:^|[.!?:;\\\\\"“‘(\\\\n])[ \\\\t]*$'",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "_POINTERS.get(language, _POINTERS['en'])",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "f\"({_KIN.get(language, _KIN['en'])})[ \\\\t]+$\"",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "f\"({_LETTERS}),?[ \\\\t]+{_KIN.get(language, _KIN['en'])}[ \\\\t",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "'(?<![^\\\\W\\\\d_])([^\\\\W\\\\d_]+)[ \\\\t]+(?:of|de|del)[ \\\\t]+(?:t",
    ): "searched in a window of at most 30 characters before a name",
    (
        "resolve.name_evidence",
        "',?[ \\\\t]+the[ \\\\t]+(?:[a-z]+[ \\\\t]+)?(scribe|priest|prophet",
    ): "matched just after a name, in a window of 40 characters",
    (
        "resolve.name_evidence",
        "'\\\\b(?:sons|children|daughters|son|daughter|father|mother|hi",
    ): "searched in a window of at most 30 characters before a name",
    (
        "resolve.name_evidence",
        "f\"[ \\\\t]+{_KIN.get(language, _KIN['en'])}[ \\\\t]+({_LETTERS})",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "heads.format(letters=_LETTERS)",
    ): "searched in the sentence before a name (at most 400 characters): fixed words around one run of letters",
    (
        "resolve.name_evidence",
        "f'(?:\\\\b({_LETTERS})[ \\\\t,]+)?\\\\b{introducing}[ \\\\t]+$'",
    ): "searched in a window of at most 40 characters before a name",
    (
        "resolve.name_evidence",
        "'(?<![A-Z])(?<![A-Z][a-z])(?<![A-Z][a-z][a-z])[.!?][\\\\\"”’)\\\\",
    ): "searched in a window of at most 60 characters around a name: fixed lookbehinds, one class repeated",
    (
        "resolve.name_evidence",
        "f'(?i:\\\\b({places}))[ \\\\t]+(?:{links})[ \\\\t]+$'",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "f'\\\\n?[ \\\\t]+(\\\\.?)({_LETTERS})'",
    ): "matched at the start of the reversed window before a name (at most 40 characters)",
    (
        "resolve.name_evidence",
        "f'({_LETTERS})(\\\\.?)[ \\\\t]+$'",
    ): "searched in a window of at most 60 characters around a name",
    (
        "resolve.name_evidence",
        "f'[ \\\\t]+({_LETTERS})'",
    ): "searched in a window of at most 60 characters around a name",
    ("resolve.name_evidence", "'[^\\\\W\\\\d_]+'"): "one class, repeated",
    (
        "checks.name_variants",
        "f'{re.escape(name)},?[ \\\\t]+(?:the[ \\\\t]+)?{re.escape(rank)}",
    ): "a literal name, one optional comma, runs of spaces each ended by a literal word",
    ("resolve.name_evidence", "f'{alternatives(forms)}(?![^\\\\W\\\\d_])'"): _TREE,
    (
        "checks.names",
        "f'{alternatives(forms)}(?![^\\\\W\\\\d_])'",
    ): _TREE,
    (
        "checks.name_variants",
        "f'{alternatives(forms)}(?![^\\\\W\\\\d_])'",
    ): _TREE,
    ("resolve.name_evidence", "'[Kİıſ]'"): "one character",
    (
        "checks.name_variants",
        "f\"(?:{'|'.join(map(re.escape, sorted(forms, key=len, reverse",
    ): "four literal alternatives (two spellings, each in capitals too), a fixed-width lookahead",
    (
        "checks.names",
        "f'(?<![^\\\\W\\\\d_])(?P<name>{names})(?![^\\\\W\\\\d_])\\\\s+(?:{_SPE",
    ): "literal alternatives joined by one run of spaces",
    (
        "checks.names",
        "f'({names})\\\\s+([^\\\\W\\\\d_]+)(?![^\\\\W\\\\d_])'",
    ): "literal names, one run of spaces, one run of letters (the lookahead ends it); a match "
    "starting inside a word is dropped and the search goes on from the next character: the words "
    "that end in a given name are tried at most once per given name",
    ("checks.names", "'[^\\\\W\\\\d_]'"): "one character",
    ("checks.suppress", "'[A-Za-z]\\\\d{0,3}'"): "bounded",
    (
        "checks.suppress",
        "'\\\\s*fabula:\\\\s*ignore\\\\b(?P<codes>.*)'",
    ): "anchored (match), literal between single runs",
    ("checks.wordlist", "'[A-Za-z]+'"): "one class, repeated",
    ("config", "'97[89]\\\\d{10}'"): "bounded",
    ("config", "'[0-9_]+'"): "one class, repeated",
    ("config", "'[A-Z](?:\\\\d{1,3})?'"): "bounded",
    ("config", "'[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*'"): "bounded parts, each opened by '-': one way to split",
    ("config", "'[\\\\[\\\\]{}#\"\\'\\n]'"): "one class",
    ("config", "'[\\\\s-]'"): "one class",
    ("config", "'\\\\(at line (\\\\d+), column (\\\\d+)\\\\)'"): "tomllib's own short message",
    ("config", "'\\\\d{9}[\\\\dX]'"): "bounded",
    ("config", "'\\\\s*(\\\\d+)\\\\s*(?:-\\\\s*(\\\\d+)\\\\s*)?'"): "anchored (fullmatch); runs of different classes",
    ("config", "'\\\\s*\\\\(at (?:line \\\\d+, column \\\\d+|end of document)\\\\)'"): "tomllib's own short message",
    ("config", "'\\\\s*\\\\['"): "anchored (match) on one line of fabula.toml, edited by --fix",
    ("config", "'\\\\s*\\\\[check\\\\]\\\\s*(#.*)?$'"): "anchored (match) on one line of fabula.toml, edited by --fix",
    ("config", "'\\\\s*names_ok\\\\s*=\\\\s*\\\\['"): "anchored (match) on one line of fabula.toml, edited by --fix",
    (
        "layout.text",
        "'(?:(?<![.?!…])[.?!…]++[\"\\'”’)\\\\]]*+|(?<!-)-{2,}+|—)(?= +([^",
    ): "a run taken whole from its first mark, never given back (possessive)",
    (
        "layout.text",
        "'(?:[.?!…][\"\\'”’)\\\\]]*|--|—)\\\\s*$'",
    ): "a sign, a run of closing marks, a run of spaces: only the last sign before a run reaches it",
    ("lsp.features", "'(?<![^\\\\W\\\\d_])[A-Z][^\\\\W\\\\d_]{2,}'"): "a capital and one run of letters",
    ("lsp.features", "'[^\\\\W\\\\d_]+'"): "one class, repeated",
    ("lsp.server", "'[^\\\\W\\\\d_]*$'"): "searched in the last 200 characters before the cursor",
    ("lsp.server", "_WORD_END"): "anchored (match) at a finding's column; runs joined by one sign",
    ("model", "'\\\\([^)]*\\\\)?'"): "the run stops at ')' or takes the rest: each character is read once",
    (
        "parsers.bible",
        '"[^\\\\W\\\\d_][\\\\w .\'-]*"',
    ): "anchored (fullmatch) on a bible name of at most 200 characters",
    ("parsers.bible", "'(?i)day\\\\s+(\\\\d+)'"): "anchored (fullmatch)",
    (
        "parsers.documents",
        "'[\\\\s>*_“”\\\\\"\\']*(?P<kind>letter|telegram|cable|wire|memoran",
    ): "fullmatch on a title line of at most 120 characters",
    (
        "parsers.documents",
        "'[\\\\s>*_“”\\\\\"\\']*(?P<who>[^\\\\W\\\\d_][\\\\w.\\\\- ]{0,60}?)[’\\']s\\",
    ): "fullmatch on a title line of at most 120 characters",
    ("parsers.fountain", "'[\\ue700-\\ue707]'"): "one class",
    ("parsers.fountain", "'[*_\\ue700-\\ue706]'"): "one class",
    (
        "parsers.fountain",
        "f'\\\\s{{{MAX_RUN + 1}}}|\\\\*{{{MAX_RUN + 1}}}|_{{{MAX_RUN + 1}",
    ): "three runs of one class each, bounded",
    (
        "parsers.fountain_intent",
        "'(?:\\\\s{3,}|\\\\t)(.+)'",
    ): "anchored (fullmatch) on a title-page line, runs cut to 100",
    (
        "parsers.fountain_intent",
        "'[A-Za-z]Õ(?:[tsdmTSDM]\\\\b|ll\\\\b|re\\\\b|ve\\\\b|LL\\\\b|RE\\\\b|VE\\",
    ): "a letter, a sign, a bounded suffix",
    ("parsers.fountain_intent", "'\\\\\\\\(?=_)'"): "one character and a lookahead",
    ("parsers.fountain_intent", "'\\\\b(?:https?://|www\\\\.)\\\\S+'"): "a literal, then one run",
    (
        "parsers.fountain_intent",
        "'\\\\s*([^:]+):\\\\s*(.*)'",
    ): "fullmatch on a title-page line whose runs of spaces are cut to 100",
    (
        "parsers.fountain_intent",
        "'^(?:(?:INT|EXT|EST|INT\\\\.?/EXT\\\\.?|I/E)[ .]|\\\\.(?=[^.]))'",
    ): "anchored, literal alternatives",
    (
        "parsers.fountain_intent",
        "'^(?:[^a-z]*TO:|>(?!.*<\\\\s*$).*)\\\\s*$'",
    ): "anchored; each backtrack step to an earlier TO: is one step",
    (
        "parsers.markdown",
        "'[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*'",
    ): "bounded parts, each opened by '-' or '_': one way to split",
    ("parsers.markdown", "'\\\\r\\\\n?|\\\\n'"): "line endings",
    (
        "parsers.markdown",
        "'\\\\ssrc\\\\s*=\\\\s*(?:\"([^\"]*)\"|\\'([^\\']*)\\'|([^\\\\s>]+))'",
    ): "searched inside one tag; each quoted value a single run",
    ("parsers.markdown", "'^\\\\d+[-_. ]*'"): "anchored, a file name",
    (
        "parsers.markdown",
        'f"""\\\\s*["\']?{re.escape(key)}["\']?\\\\s*:"""',
    ): "anchored (match) on one line, a literal key",
    (
        "parsers.markers",
        "'(?:it\\\\s+(?:was|is)\\\\s+|[^\\\\W\\\\d_]{1,3}\\\\s+)'",
    ): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'(?<![\\\\w-])\\\\w'"): "one character and a fixed-width lookbehind (searched in windows)",
    (
        "parsers.markers",
        "'(?P<n>\\\\d{1,2})(?!\\\\d)(?:[^\\\\W\\\\d_]{1,3}(?![^\\\\W\\\\d_])|\\\\.?",
    ): "anchored (match) where a marker's part is read",
    (
        "parsers.markers",
        "'(?P<paren>\\\\s*\\\\(\\\\s*)|\\\\s*[-–—:,;|](?:\\\\s*[-–—:,;|])*\\\\s*|",
    ): "anchored (match); one sign a repetition (was a run inside a repetition)",
    ("parsers.markers", "'(?P<y>\\\\d{4})(?![\\\\d])'"): "anchored (match) where a marker's part is read",
    (
        "parsers.markers",
        "'(?P<y>\\\\d{4})-(?P<m>\\\\d{2})-(?P<d>\\\\d{2})(?![\\\\d-])'",
    ): "anchored (match) where a marker's part is read",
    ("parsers.markers", "',?\\\\s+'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "',\\\\s*|\\\\s*\\\\(\\\\s*|\\\\s+'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'[ \\\\t]*(?P<next>.?)'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'[*_]'"): "one class",
    ("parsers.markers", "'[\\\\s>#“”„‟\\\\\"«»‹›‘’‚\\'(\\\\[{]*'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'[^*_]'"): "one class",
    ("parsers.markers", "'[^\\\\W\\\\d_]+(?:-[^\\\\W\\\\d_]+)?'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'[^\\\\W\\\\d_]{1,3}\\\\s+'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'\\\\.'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'\\\\.?,?\\\\s+'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'\\\\d'"): "one class",
    ("parsers.markers", "'\\\\s*(?:$|[-–—:.;|(])'"): "anchored",
    ("parsers.markers", "'\\\\s*(?:(?:#+|=)\\\\s*)?'"): "anchored; the second run only after a sign",
    ("parsers.markers", "'\\\\s*[-–—]\\\\s*'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'\\\\s*\\\\)'"): "anchored",
    ("parsers.markers", "'\\\\s+'"): "anchored (match) where a marker's part is read",
    ("parsers.markers", "'\\\\s+[^\\\\W\\\\d_]'"): "anchored at a date's end (was matched on a copy of the rest)",
    (
        "parsers.markers",
        "f'(?<![\\\\w-])(?:{names})\\\\s+(?P<n>\\\\d{{1,4}})(?![\\\\w])'",
    ): "literal names, one run of spaces, bounded digits",
    ("render.book_pdf", "'[A-Za-z]{2}'"): "bounded",
    ("render.outline", "'[\\\\\\\\`*_\\\\[\\\\]<>]'"): "one class",
    (
        "resolve.presence",
        "f'(?<![^\\\\W_])(?<![^\\\\W_]-)(?:{alternatives})(?![^\\\\W_])(?!-",
    ): "literal names (at most 200 characters each) between fixed-width lookarounds",
    (
        "resolve.presence",
        "pattern.pattern.removeprefix(_NOT_AFTER_A_WORD)",
    ): "the pattern above without its opening lookbehinds: literal names, fixed-width lookaheads",
    (
        "resolve.streams",
        "'\\\\s*fabula:\\\\s*stream\\\\b(?P<name>.*)'",
    ): "anchored (match), literal between single runs",
    ("sources", "'(\\\\d+)'"): "one class",
    ("sources", "'[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufffe\\uff"): "one class",
    ("stats", "'[-–—]+'"): "one class (split_heading: a scan replaced \\s+[-–—]+\\s+)",
    ("stats_counts", "'[“\"]'"): "one class (quotations: a str.find scan replaced “[^”]*”)",
    ("stats", "'\\\\b(DAY|MORNING|AFTERNOON|NOON|DAWN|SUNRISE|SUNSET)\\\\b'"): "literal alternatives",
    ("stats", "'\\\\b(NIGHT|MIDNIGHT|EVENING|DUSK)\\\\b'"): "literal alternatives",
    ("stats", "'^\\\\.?(INT\\\\.?/EXT|EXT\\\\.?/INT|I/E|INT|EXT|EST)[.\\\\s]\\\\s*'"): "anchored",
    ("words", '"[^\\\\W_]+(?:[\'’-][^\\\\W_]+)*"'): "a joining sign must separate runs: one way to split",
    ("words", "'[^\\\\x00-\\\\x7f]'"): "one class, one character (the characters beyond ASCII)",
    ("config", "'\\\\d{4}'"): "anchored (fullmatch), bounded",
    (
        "render.book_pdf",
        "b'(\\\\d{10}) (\\\\d{5}) ([nf])(\\\\r?\\\\n)'",
    ): "fixed width, in the PDF Typst wrote (fabula's own output)",
    (
        "render.book_pdf",
        "b'/Type/Page/[^>]*?/MediaBox(\\\\[[^\\\\]]*\\\\])'",
    ): "in the PDF Typst wrote (fabula's own output); the lazy run stops at '>'",
    ("render.book_pdf", "b'/Type/Pages/Count (\\\\d+)'"): "fixed width, in the PDF Typst wrote (fabula's own output)",
    (
        "render.book_pdf",
        "b'\\\\nxref\\\\n0 (\\\\d+)\\\\n((?:\\\\d{10} \\\\d{5} [nf]\\\\r?\\\\n)+)trai",
    ): "in the PDF Typst wrote (fabula's own output): one xref table, at its end",
    (
        "render.epub",
        "'    <dc:date id=\\\\\"epub-date\\\\\">[^<]*</dc:date>\\\\n'",
    ): "in the package file pandoc wrote; the run stops at '<'",
    ("render.epub", "'EPUB/text/ch\\\\d+\\\\.xhtml'"): "fullmatch on a file name of the EPUB pandoc wrote",
    ("render.book_pdf", "'^<([\\\\w:.-]+)>$'"): "one class between fixed characters, a line at a time",
    ("render.book_pdf", "'#footnote\\\\['"): "literal",
    ("render.book_pdf", "'(?<!\\\\\\\\)`'"): "one character, a fixed look-behind",
    ("render.book_pdf", "'#link\\\\(<([\\\\w:.-]+)>\\\\)'"): "fixed text, then one class that cannot hold the text",
    ("render.book_pdf", "'(?<!#link\\\\()<([\\\\w:.-]+)>'"): "'<', then a class without '<': no overlap",
    (
        "render.book_pdf",
        "'\\\\A\\\\s*(= [^\\\\n]*\\\\n<[\\\\w:.-]+>)\\\\n'",
    ): "at the text's start only (\\A): one pass over its first lines",
    ("render.book_join", "b'/Type/Pages/Count (\\\\d+)'"): "fixed width, in the PDF Typst wrote (fabula's own output)",
    ("render.book_join", "b'^(<[0-9A-Fa-f]{4}> )<00[Aa][Dd]>$'"): "fixed width, a line at a time",
    ("render.epub", '\' id="([^"]*)"\''): "fixed text, then one class",
    ("render.epub", '\'(<(?:section|h[1-6]) id=")([^"]*)(")\''): "fixed text, then one class",
    ("render.epub", '\'href="#([^"]*)"\''): "fixed text, then one class",
    ("render.epub", "'media/[^\\\\\"\\'\\\\s)]+'"): "fixed text, then one class",
    (
        "render.pandoc",
        "'(?P<range>(?<=\\\\d)--(?=\\\\d))|(?<!\\\\s)\\\\s*(?P<dash>---?)\\\\s*",
    ): "spaces taken only where their run starts (lookbehind): each run is read once",
    ("resolve.presence", '"(?<=\\\\w\\\\w)([\'’])(\\\\w)"'): "a fixed-width lookbehind and two characters",
    (
        "resolve.name_evidence",
        "',?[ \\\\t]+(?:the[ \\\\t]+)?(king|queen|prince|princess|priest|",
    ): "matched just after a name, in a window of 30 characters",
    (
        "render.docx_parts",
        '\'(\\\\b(?:w:id|id)="|r:(?:id|embed)="rId)(\\\\d+)"\'',
    ): "inside one tag of pandoc's XML (_COUNTED's match): fixed text, then digits",
    ("render.docx_parts", '\'(\\\\w+)="([^"]*)"\''): "one class, then fixed text, then one class: each run read once",
    ("render.docx_parts", "'-\\\\d+$'"): "at the end of a heading's identifier (short), one class",
    (
        "render.docx_parts",
        "'<(?:w:footnoteReference|w:footnote|w:bookmarkStart|w:bookma",
    ): "fixed names, then one class up to '>' (tags of pandoc's XML close; text never holds '<')",
    (
        "render.docx_parts",
        '\'<Override PartName="/word/(media/[^"]*)"[^>]*/>\'',
    ): "fixed text, then classes up to '\"' and '>'",
    ("render.docx_parts", "'<Relationship [^>]*/>'"): "fixed text, then one class up to '>'",
    (
        "render.docx_parts",
        "'<Relationships ([^>]*?) ?/>'",
    ): "fixed text, then one class up to '>' (pandoc's short relationships file)",
    (
        "render.docx_parts",
        '\'<w:abstractNum w:abstractNumId="(\\\\d+)">.*?</w:abstractNum>',
    ): "pandoc's numbering.xml: each element closes before the next starts (no '<' in its text)",
    (
        "render.docx_parts",
        '\'<w:bookmarkStart w:id="(\\\\d+)" w:name="([^"]*)" />\'',
    ): "fixed text, then digits and one class",
    ("render.docx_parts", "'<w:footnote w:id=\"\\\\d+\">'"): "fixed text, then digits",
    ("render.docx_parts", "'<w:footnoteReference w:id=\"(\\\\d+)\" />'"): "fixed text, then digits",
    ("render.docx_parts", '\'<w:name w:val="([^"]*)"\''): "fixed text, then one class",
    (
        "render.docx_parts",
        "'<w:num w:numId=\"(\\\\d+)\">.*?</w:num>'",
    ): "pandoc's numbering.xml: each element closes before the next starts (no '<' in its text)",
    ("render.docx_parts", "'<w:numId w:val=\"(\\\\d+)\" />'"): "fixed text, then digits",
    (
        "render.docx_parts",
        '\'<w:style [^>]*w:customStyle="1"[^>]*>\\\\s*<w:name w:val="([^',
    ): "pandoc's styles.xml: classes up to '>' inside one tag, then fixed text",
    ("render.docx_parts", "'Id=\"rId\\\\d+\"'"): "fixed text, then digits",
    ("render.docx_parts", '\'w:name="([^"]*)"\''): "fixed text, then one class",
    (
        "render.docx_parts",
        "re.escape(base) + '-\\\\d+'",
    ): "fullmatch on a heading's identifier (short): fixed text, then digits",
    (
        "render.pandoc",
        "'\\\\[([^\\\\[\\\\]\\\\n]{1,300})\\\\](?!\\\\()'",
    ): "one class of at most 300 characters, no nesting",
}


def patterns_written() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in FUNCTIONS
                and node.args
            ):
                found.add((module, ast.unparse(node.args[0])[:KEY]))
    return found


def test_anchored_patterns_are_only_matched() -> None:
    """What ANCHORED says: the patterns listed there are never searched."""
    for name in ANCHORED:
        module, _, attribute = name.rpartition(".")
        text = (PACKAGE.parent / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        uses = set(re.findall(rf"{attribute}\.(\w+)\(", text))
        assert uses <= {"match", "fullmatch"}, (name, uses)
        assert attribute in text.replace(f"{attribute} = re.compile", ""), name


def test_every_regular_expression_is_audited() -> None:
    written = patterns_written()
    new = sorted(written - set(AUDITED))
    assert not new, f"audit these patterns (adversarial strings below) and add them to AUDITED: {new}"
    assert not sorted(set(AUDITED) - written), "AUDITED lists patterns that are gone"


# ---------------------------------------------------------------- adversarial strings


@contextlib.contextmanager
def within(seconds: int, what: str) -> Iterator[None]:
    """Fail (not hang) when the block runs past ``seconds``: a quadratic match on 100,000
    characters runs for minutes, a linear one for milliseconds."""

    def expired(number: int, frame: object) -> None:
        raise TimeoutError(f"{what} ran past {seconds} s: super-linear on this input")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def compiled_patterns() -> dict[str, re.Pattern[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = "toolkit." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.removesuffix(".__init__"))
        for name, value in vars(loaded).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(f"{module}.{name}", value)
    return found


PATTERNS = compiled_patterns()
SIZE = 50_000

# Patterns used only anchored, with ``match`` at one place (a paragraph's start, where a date
# ends): each call reads the run in front of it once, and calls start at different places. A
# search from every position would be quadratic on a long run of spaces; they are never searched.
ANCHORED = {
    "toolkit.resolve.name_evidence._AFTER": "just after a name, in a window of 40 characters",
    "toolkit.resolve.name_evidence._BEFORE_REVERSED": "a name's window read backwards, at its start",
    "toolkit.resolve.name_evidence._RANK_OF": "just after a name, in a window of 30 characters",
    "toolkit.resolve.name_evidence._ROLE_AFTER": "just after a name, in a window of 40 characters",
    "toolkit.checks.suppress._IGNORE": "a comment's or a note's text, from its start",
    "toolkit.parsers.documents._DIARY": "a title line of at most 120 characters, whole (fullmatch)",
    "toolkit.parsers.documents._LETTER": "a title line of at most 120 characters, whole (fullmatch)",
    "toolkit.parsers.fountain_intent._TITLE_KEY": "a title-page line, whole, its runs of spaces cut to 100",
    "toolkit.parsers.fountain_intent._TITLE_VALUE": "a title-page line, whole, its runs of spaces cut to 100",
    "toolkit.parsers.markers._DASH": "where a date's day ends",
    "toolkit.resolve.streams._STREAM_NOTE": "a comment's or a note's text, from its start",
    "toolkit.parsers.markers._CLOSE": "where a marker's second part ends",
    "toolkit.parsers.markers._HEADING_LEAD": "a heading's start",
    "toolkit.parsers.markers._HEADING_TAIL": "where a heading's marker ends",
    "toolkit.parsers.markers._JOIN": "where a marker's first part ends",
    "toolkit.parsers.markers._WORD_AFTER": "where a date ends",
}


def adversarial(pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    """Strings made of the pattern's own signs and words: long runs, runs broken by a space or a
    letter, a sign before a long run of spaces, and the words it looks for, repeated."""
    signs = sorted({char for char in pattern.pattern if not char.isalnum() and char not in "\\?+*{}^$|"} | {" ", "\n"})
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", pattern.pattern)))[:20]
    for atom in [*signs, *words, "Monday, 5 May ", "DAY 1 ", "INT. ", "May 5 ", "“", "(", "<img src=", "&#"]:
        yield f"{atom!r} repeated", atom * (SIZE // len(atom))
        yield f"{atom!r} and a space", (atom + " ") * (SIZE // (len(atom) + 1))
        yield f"{atom!r} and a letter", (atom + "x") * (SIZE // (len(atom) + 1))
        yield f"{atom!r} before spaces", atom + " " * SIZE + "!"
        yield f"{atom!r} after spaces", " " * SIZE + atom


def _cut_runs(text: str) -> str:
    """What the Fountain parser hands on: runs of white space, ``*`` and ``_`` cut to 100."""
    return re.sub(r"\s{101,}", " " * 100, text)


# What the patterns that only ever see short or prepared text are given (see ANCHORED).
SEEN = {
    "toolkit.parsers.documents._DIARY": lambda text: text[:120],
    "toolkit.parsers.documents._LETTER": lambda text: text[:120],
    "toolkit.parsers.fountain_intent._TITLE_KEY": lambda text: _cut_runs(text.replace("\n", " ")),
    "toolkit.parsers.fountain_intent._TITLE_VALUE": lambda text: _cut_runs(text.replace("\n", " ")),
}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_is_linear_on_adversarial_strings(name: str) -> None:
    pattern = PATTERNS[name]
    seen = SEEN.get(name, lambda text: text)
    started = time.perf_counter()
    for shape, written in adversarial(pattern):
        text = seen(written)
        with within(10, f"{name} on {shape}"):
            if name not in ANCHORED:
                for _ in pattern.finditer(text):
                    pass
            for position in (0, 1, len(text) // 2):
                pattern.match(text, position)
            pattern.fullmatch(text)
    assert time.perf_counter() - started < 120, name


# ---------------------------------------------------------------- the rewrites say what the patterns said

_OLD_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_OLD_SPLIT = re.compile(r"\s+[-–—]+\s+")
_OLD_CARET = re.compile(r"\s*\^\s*$")
_PIECES = ["“", "”", '"', "\n", "a", " ", "-", "—", "^", "\t", "word", "  "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_the_scans_give_what_the_patterns_gave(text: str) -> None:
    from toolkit.parsers.fountain import _without_caret
    from toolkit.stats import _split_at_dashes, quotations

    assert quotations(text) == _OLD_QUOTED.findall(text)
    assert _split_at_dashes(text) == _OLD_SPLIT.split(text)
    assert _without_caret(text) == _OLD_CARET.sub("", text).strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["<!-- c -->", "\n", "text ", "<!--", "-->", "x"]), max_size=30).map("".join))
def test_comment_places_are_counted_as_before(source: str) -> None:
    from toolkit.model import Span
    from toolkit.parsers.markdown import read_inline

    _, comments, _ = read_inline(source, Span("a.md", 10, 3))
    for comment in comments:
        offset = _offset_of(source, comment.span, Span("a.md", 10, 3))
        assert source.startswith("<!--", offset)


def _offset_of(source: str, span, start) -> int:
    lines = source.split("\n")
    line = span.line - start.line
    before = sum(len(text) + 1 for text in lines[:line])
    return before + (span.col - start.col if line == 0 else span.col - 1)


# ---------------------------------------------------------------- whole paragraphs made to hurt

HURTFUL = [
    "<!--",
    "<!-- x -->",
    "![",
    "[",
    "<a",
    "<",
    "“",
    '"',
    "](",
    "[^",
    "DAY 1 ",
    "May 5 ",
    "Monday, 5 May 2023 ",
    "*",
    "_",
    "&#x1;",
    "the ",
    "Ann ",
    "Ann-",
]


@pytest.mark.parametrize("atom", HURTFUL)
def test_a_paragraph_of_one_sign_repeated_checks_and_counts_in_linear_time(tmp_path: Path, atom: str) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    root = tmp_path / "project"
    (root / "manuscript").mkdir(parents=True)
    paragraph = (atom * (200_000 // len(atom)))[:200_000]
    comments = "<!-- fabula: ignore N101 -->" + "<!-- x -->" * 40  # the old suppression regex: exponential
    (root / "manuscript" / "1.md").write_text(f"# One\n\n{comments} {paragraph}\n\nDAY 2 and 6 May 2023.\n", "utf-8")
    (root / "characters.yaml").write_text("- name: Ann Lee\n  aliases: [Annie]\n", encoding="utf-8")
    runner = CliRunner()
    with within(60, f"check and stats of {atom!r} x {len(paragraph)}"):
        check = runner.invoke(app, ["check", "--no-cache", str(root)])
        stats = runner.invoke(app, ["stats", "--format", "json", str(root)])
    assert check.exit_code in (0, 1) and stats.exit_code == 0, (check.output[-300:], stats.output[-300:])


def test_a_heading_and_a_cue_of_a_million_spaces(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    root = tmp_path / "project"
    (root / "screenplay").mkdir(parents=True)
    spaces = " " * 1_000_000
    scene = f"INT. ROOM -{spaces}- DAY\n\nAction.\n\nANN{spaces}^\nHello.\n\nBOB{spaces}x\nHi.\n"
    (root / "screenplay" / "1.fountain").write_text(scene, encoding="utf-8")
    with within(60, "a scene of long runs of spaces"):
        result = CliRunner().invoke(app, ["stats", "--format", "json", str(root)])
    assert result.exit_code == 0, result.output[-300:]


def test_random_hostile_mixtures_stay_linear() -> None:
    """Long mixtures of every sign above through the parsers' inline scans and the markers."""
    from toolkit.model import Span
    from toolkit.parsers.markdown import read_inline
    from toolkit.parsers.markers import inline_mark
    from toolkit.stats import quotations

    rng = random.Random(14)
    for _ in range(5):
        text = "".join(rng.choice([*HURTFUL, " ", "\n", "x"]) for _ in range(30_000))
        with within(20, "a hostile mixture"):
            read_inline(text, Span("a.md", 1))
            inline_mark(text, Span("a.md", 1))
            quotations(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["/*", "*/", "[[", "]]", "*", "/", "[", "]", "a", "\n"]), max_size=40).map("".join))
def test_boneyards_and_notes_are_found_as_screenplain_finds_them(text: str) -> None:
    from screenplain.parsers import fountain as sp

    from toolkit.parsers.fountain import _spans

    assert list(_spans(text, "/*", "*/")) == [m.span() for m in sp.boneyard_re.finditer(text)]
    assert list(_spans(text, "[[", "]]")) == [m.span() for m in sp.note_re.finditer(text)]


def test_long_runs_in_a_fountain_line_are_cut_and_the_rest_kept() -> None:
    from toolkit.parsers.fountain import MAX_RUN, parse_screenplay

    line = "Action with " + " " * 5000 + "a gap, " + "_" * 5000 + " and **bold** " + "*" * 3000 + " end."
    screenplay = parse_screenplay([("screenplay/1.fountain", f"INT. ROOM - DAY\n\n{line}\n")])
    action = screenplay.scenes[0].elements[1]
    text = "".join(run.text for row in action.lines for run in row)
    assert "Action with" + " " * MAX_RUN + "a gap, " in text and "end." in text
    assert not any(char * (MAX_RUN + 1) in text for char in " *_")
