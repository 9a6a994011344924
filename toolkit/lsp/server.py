"""The language server (pygls, over stdio): findings as you type, hover, names, outline, fixes.

A face over the pipeline, like the command line: every check is ``pipeline.Session.check`` with
the editor's open buffers standing for the files on disk; what the server tells comes from the
story that check resolved (toolkit/lsp/features.py). Checks run on one worker thread, a short
pause after the last keystroke (``DEBOUNCE``); keystrokes that come during a check are checked
together once it ends. Nothing a writer types stops the server: an input error (a broken
fabula.toml, a file that is not UTF-8) is a diagnostic on the file concerned, and a fault of
ours is logged to the editor and the server goes on.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from toolkit import __version__, pipeline
from toolkit.checks.rules import RULES
from toolkit.diagnostics import Diagnostic, Edit
from toolkit.errors import FabulaError
from toolkit.lsp import features
from toolkit.resolve import Story
from toolkit.sources import BIBLE, CHAPTER_SUFFIXES, CONFIG_NAME, MANUSCRIPT, SCENE_SUFFIXES, SCREENPLAY

DEBOUNCE = 0.05  # seconds after the last change before a check starts
FIX_ALL = "source.fixAll.fabula"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
_SYMBOL_KINDS = {
    "chapter": types.SymbolKind.Module,
    "section": types.SymbolKind.Namespace,
    "scene": types.SymbolKind.Class,
    "day": types.SymbolKind.Event,
    "character": types.SymbolKind.Object,
}
_WORD_END = r"[^\W_]+(?:['’-][^\W_]+)*"

log = logging.getLogger(__name__)


class FabulaServer(LanguageServer):
    """The server's state: the project, the last check, and what the editor was last told."""

    def __init__(self, root: Path | None) -> None:
        super().__init__("fabula", __version__)
        self.given_root = root
        self.session: pipeline.Session | None = None
        self.checked: pipeline.Checked | None = None
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.published_versions: dict[str, int | None] = {}
        self.timer: asyncio.TimerHandle | None = None
        self.running = False
        self.again = False
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fabula-check")
        self.index_of: tuple[Story, features.NameIndex] | None = None
        self.explained: dict[str, str | None] = {}

    # ------------------------------------------------------------ places

    @property
    def root(self) -> Path | None:
        return self.session.root if self.session is not None else None

    def relative(self, uri: str) -> str | None:
        """A document's path relative to the project, if it is one of the project's files."""
        path = to_fs_path(uri)
        if path is None or self.root is None:
            return None
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def uri(self, relative: str) -> str:
        for document in self.workspace.text_documents.values():
            if self.relative(document.uri) == relative:
                return document.uri
        assert self.root is not None
        return (self.root / relative).as_uri()

    def buffers(self) -> dict[str, str]:
        """The open documents that are sources of the project, with their unsaved text."""
        found = {}
        for document in list(self.workspace.text_documents.values()):
            relative = self.relative(document.uri)
            if relative is not None and is_source(relative):
                found[relative] = "".join(document.lines)  # the buffer's text, unsaved edits included
        return found

    def lines_of(self, relative: str) -> list[str]:
        if self.checked is not None and relative in self.checked.texts:
            return self.checked.texts[relative].split("\n")
        for document in self.workspace.text_documents.values():
            if self.relative(document.uri) == relative:
                return [line.rstrip("\r\n") for line in document.lines]
        return []

    def position(self, relative: str, line: int, col: int, lines: list[str] | None = None) -> types.Position:
        """The editor's position of a 1-based line and column (characters) of a project file."""
        lines = self.lines_of(relative) if lines is None else lines
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        prefix = text[: max(col - 1, 0)]
        encoding = self.workspace.position_encoding
        if encoding == types.PositionEncodingKind.Utf8:
            units = len(prefix.encode("utf-8"))
        elif encoding == types.PositionEncodingKind.Utf32:
            units = len(prefix) + max(col - 1 - len(text), 0)
        else:
            units = len(prefix.encode("utf-16-le")) // 2 + max(col - 1 - len(text), 0)
        return types.Position(line=max(line - 1, 0), character=units)

    def span_range(self, relative: str, line: int, col: int, length: int) -> types.Range:
        lines = self.lines_of(relative)
        return types.Range(
            self.position(relative, line, col, lines), self.position(relative, line, col + length, lines)
        )

    def location(self, place: features.Place) -> types.Location:
        path = place.span.path
        return types.Location(self.uri(path), self.span_range(path, place.span.line, place.span.col, place.length))

    def cursor(self, document: TextDocument, position: types.Position) -> tuple[str, int, int]:
        """(line text, 1-based line, 1-based column in characters) of the editor's position."""
        lines = document.lines
        server = document.position_codec.position_from_client_units(lines, position)
        text = lines[server.line].rstrip("\r\n") if server.line < len(lines) else ""
        return text, server.line + 1, server.character + 1

    def index(self, story: Story) -> features.NameIndex:
        if self.index_of is None or self.index_of[0] is not story:
            self.index_of = (story, features.NameIndex.of(story))
        return self.index_of[1]

    # ------------------------------------------------------------ checking

    def schedule(self, delay: float = DEBOUNCE) -> None:
        """Check again ``delay`` seconds from now, unless another change comes first."""
        if self.session is None:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer = asyncio.get_running_loop().call_later(delay, self.start_check)

    def start_check(self) -> None:
        self.timer = None
        if self.running:
            self.again = True
            return
        assert self.session is not None
        self.running, self.again = True, False
        buffers = self.buffers()
        versions = {
            document.uri: document.version
            for document in self.workspace.text_documents.values()
            if self.relative(document.uri) in buffers
        }
        future = asyncio.get_running_loop().run_in_executor(self.worker, self.session.check, buffers)
        future.add_done_callback(lambda done: self.finish_check(done, versions))

    def finish_check(self, done: asyncio.Future[pipeline.Checked], versions: dict[str, int | None]) -> None:
        self.running = False
        try:
            self.checked = done.result()
            self.publish(self.checked.findings, versions)
        except FabulaError as error:
            self.publish_error(error, versions)
        except Exception:  # a fault of ours: say so in the editor's log, keep serving
            self.window_log_message(
                types.LogMessageParams(types.MessageType.Error, f"fabula: check failed\n{traceback.format_exc()}")
            )
        if self.again:
            self.schedule(0)

    def publish(self, findings: tuple[Diagnostic, ...], versions: dict[str, int | None]) -> None:
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for finding in findings:
            by_uri.setdefault(self.uri(finding.span.path), []).append(self.diagnostic(finding))
        self.send(by_uri, versions)

    def publish_error(self, error: FabulaError, versions: dict[str, int | None]) -> None:
        """An input error as a diagnostic on the file it names (the project folder's fabula.toml
        when it names none), and no findings elsewhere: they cannot be known until it is fixed."""
        assert self.root is not None
        path = error.path if error.path is not None and not Path(error.path).is_absolute() else CONFIG_NAME
        line = error.span.line if error.span is not None else 1
        col = error.span.col if error.span is not None else 1
        width = max(len(self.lines_of(path)[line - 1]) - col + 1, 1) if 0 < line <= len(self.lines_of(path)) else 1
        diagnostic = types.Diagnostic(
            range=self.span_range(path, line, col, width),
            message=error.message,
            severity=types.DiagnosticSeverity.Error,
            source="fabula",
        )
        self.send({self.uri(path): [diagnostic]}, versions)

    def send(self, by_uri: dict[str, list[types.Diagnostic]], versions: dict[str, int | None]) -> None:
        """Publish what changed since last time, and every open document checked at a new version."""
        for uri in sorted(set(by_uri) | set(self.published) | set(versions)):
            diagnostics = by_uri.get(uri, [])
            version = versions.get(uri)
            if diagnostics == self.published.get(uri, []) and (
                uri not in versions or self.published_versions.get(uri) == version
            ):
                continue
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
            )
            self.published_versions[uri] = version
            if diagnostics:
                self.published[uri] = diagnostics
            else:
                self.published.pop(uri, None)

    def diagnostic(self, finding: Diagnostic) -> types.Diagnostic:
        path = finding.span.path
        length = self.length(finding)
        href = self.explain_uri(finding.code)
        return types.Diagnostic(
            range=self.span_range(path, finding.span.line, finding.span.col, length),
            message=finding.message,
            severity=_SEVERITY[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=href) if href else None,
            source="fabula",
        )

    def length(self, finding: Diagnostic) -> int:
        """How much of the line a finding underlines: what its fix replaces, its day marker, else a word."""
        import re

        if finding.fix is not None and finding.fix.edits and finding.fix.edits[0].span == finding.span:
            return max(len(finding.fix.edits[0].old), 1)
        if self.checked is not None:
            for resolved in self.checked.story.timeline.marks:
                if resolved.mark.span == finding.span:
                    return len(resolved.mark.text.split("\n", 1)[0])
        lines = self.lines_of(finding.span.path)
        text = lines[finding.span.line - 1] if 0 < finding.span.line <= len(lines) else ""
        word = re.compile(_WORD_END).match(text, finding.span.col - 1)
        return len(word.group()) if word else 1

    def explain_uri(self, code: str) -> str | None:
        if code not in self.explained:
            page = pipeline.explain_page(self.root, code) if self.root is not None else None
            self.explained[code] = page.as_uri() if page is not None else None
        return self.explained[code]

    # ------------------------------------------------------------ code actions

    def text_edit(self, edit: Edit) -> types.TextEdit:
        return types.TextEdit(self.span_range(edit.span.path, edit.span.line, edit.span.col, len(edit.old)), edit.new)

    def workspace_edit(self, edits: list[Edit]) -> types.WorkspaceEdit:
        changes: dict[str, list[types.TextEdit]] = {}
        for edit in edits:
            changes.setdefault(self.uri(edit.span.path), []).append(self.text_edit(edit))
        return types.WorkspaceEdit(changes=changes)

    def file_change(self, change: pipeline.TextChange) -> types.WorkspaceEdit:
        """A whole file replaced (fabula.toml, characters.yaml), created first when missing."""
        assert self.root is not None
        uri = self.uri(change.path)
        lines = change.before.split("\n")
        whole = types.Range(types.Position(0, 0), types.Position(len(lines), 0))
        operations: list[Any] = []
        if not (self.root / change.path).exists():
            operations.append(types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True)))
        operations.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[types.TextEdit(whole, change.after)],
            )
        )
        return types.WorkspaceEdit(document_changes=operations)

    def actions(self, relative: str, first: int, last: int, only: Sequence[str] | None) -> list[types.CodeAction]:
        assert self.checked is not None and self.session is not None
        story, buffers = self.checked.story, self.buffers()
        found: list[types.CodeAction] = []
        here = [f for f in self.checked.findings if f.span.path == relative and first <= f.span.line <= last]
        for finding in here:
            diagnostic = [self.diagnostic(finding)]

            def action(
                title: str,
                edit: types.WorkspaceEdit,
                preferred: bool = False,
                about: list[types.Diagnostic] = diagnostic,
            ) -> types.CodeAction:
                kind = types.CodeActionKind.QuickFix
                return types.CodeAction(title, kind=kind, diagnostics=about, is_preferred=preferred, edit=edit)

            if finding.fix is not None:
                found.append(action(finding.fix.title, self.workspace_edit(list(finding.fix.edits)), finding.fix.safe))
            if finding.names:
                name = finding.names[0]
                change = self.session.names_ok_change(name, buffers)
                if change is not None:
                    found.append(action(f"Add {name} to [check] names_ok in fabula.toml", self.file_change(change)))
            if finding.code == "N101" and len(finding.names) > 1:
                owner = story.cast.by_surface.get(finding.names[1], ())
                entry = features.character(story, owner[0]) if owner else None
                change = self.session.distinct_change(entry.name, finding.names[0], buffers) if entry else None
                if entry is not None and change is not None:
                    title = f"{finding.names[0]} is someone else: add it to {entry.name}'s distinct in characters.yaml"
                    found.append(action(title, self.file_change(change)))
            line = features.ignore_line(story, finding)
            ignore = pipeline.ignore_edit(relative, line, (finding.code,))
            found.append(
                action(f"Ignore {finding.code} here (a fabula: ignore comment)", self.workspace_edit([ignore]))
            )
        safe = [
            e for f in self.checked.findings if f.span.path == relative and f.fix and f.fix.safe for e in f.fix.edits
        ]
        if safe:
            kind = FIX_ALL
            found.append(types.CodeAction("Fix all safe findings (fabula)", kind=kind, edit=self.workspace_edit(safe)))
        if only:
            found = [a for a in found if a.kind is not None and any(a.kind.startswith(k) for k in only)]
        return found


def is_source(relative: str) -> bool:
    """A file whose text the pipeline reads: a chapter, a scene, fabula.toml, the bible."""
    lowered = relative.lower()
    return (
        relative in (CONFIG_NAME, BIBLE)
        or (relative.startswith(MANUSCRIPT + "/") and lowered.endswith(CHAPTER_SUFFIXES))
        or (relative.startswith(SCREENPLAY + "/") and lowered.endswith(SCENE_SUFFIXES))
    )


def make_server(root: Path | None = None) -> FabulaServer:
    """A server with every feature registered; ``root`` fixes the project (else the workspace's)."""
    server = FabulaServer(root)

    @server.feature(types.INITIALIZE)
    def initialize(ls: FabulaServer, params: types.InitializeParams) -> None:
        folder = ls.given_root
        if folder is None:
            path = ls.workspace.root_path or (
                to_fs_path(params.workspace_folders[0].uri) if params.workspace_folders else None
            )
            folder = pipeline.find_root(Path(path) if path else Path.cwd())
        ls.session = pipeline.Session(folder.resolve())

    @server.feature(types.INITIALIZED)
    def initialized(ls: FabulaServer, params: types.InitializedParams) -> None:
        ls.schedule(0)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FabulaServer, params: None) -> None:
        if ls.timer is not None:
            ls.timer.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FabulaServer, params: types.DidOpenTextDocumentParams) -> None:
        if (relative := ls.relative(params.text_document.uri)) is not None and is_source(relative):
            ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FabulaServer, params: types.DidChangeTextDocumentParams) -> None:
        if (relative := ls.relative(params.text_document.uri)) is not None and is_source(relative):
            ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FabulaServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FabulaServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.schedule()  # the file's text on disk stands for it again

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: FabulaServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.schedule()

    def story_and_place(
        ls: FabulaServer, uri: str, position: types.Position
    ) -> tuple[Story, str, str, int, int] | None:
        relative = ls.relative(uri)
        if ls.checked is None or relative is None:
            return None
        text, line, col = ls.cursor(ls.workspace.get_text_document(uri), position)
        return ls.checked.story, relative, text, line, col

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: FabulaServer, params: types.HoverParams) -> types.Hover | None:
        found = story_and_place(ls, params.text_document.uri, params.position)
        if found is None or ls.checked is None:
            return None
        story, relative, text, line, col = found
        parts = []
        here = [
            f
            for f in ls.checked.findings
            if f.span.path == relative and f.span.line == line and f.span.col <= col <= f.span.col + ls.length(f)
        ]
        mark = features.mark_at(story, relative, line, col)
        if mark is not None:
            parts.append(features.mark_hover(story, mark, [f for f in here if f.span == mark.mark.span]))
            here = [f for f in here if f.span != mark.mark.span]
        named = features.name_at(story, text, col, relative.endswith(SCENE_SUFFIXES))
        if named is not None:
            parts.append(features.name_hover(story, ls.index(story), named[0]))
        parts.extend(features.finding_hover(f, RULES[f.code].title) for f in here)
        if not parts:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(parts)))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: FabulaServer, params: types.DefinitionParams) -> types.Location | None:
        found = story_and_place(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        story, relative, text, _, col = found
        named = features.name_at(story, text, col, relative.endswith(SCENE_SUFFIXES))
        place = features.definition(story, ls.index(story), named[0]) if named else None
        return ls.location(place) if place is not None else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: FabulaServer, params: types.ReferenceParams) -> list[types.Location] | None:
        found = story_and_place(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        story, relative, text, _, col = found
        named = features.name_at(story, text, col, relative.endswith(SCENE_SUFFIXES))
        if named is None:
            return None
        places = list(ls.index(story).places.get(named[0], ()))
        entry = features.character(story, named[0])
        if params.context.include_declaration and entry is not None:
            places.insert(0, features.Place(entry.span, len(entry.name)))
        return [ls.location(place) for place in places]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(ls: FabulaServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        relative = ls.relative(params.text_document.uri)
        if ls.checked is None or relative is None:
            return None
        lines = [line.rstrip("\r\n") for line in ls.workspace.get_text_document(params.text_document.uri).lines]

        def symbol(found: features.Symbol) -> types.DocumentSymbol:
            end = min(found.end_line, max(len(lines), found.span.line))
            end_text = lines[end - 1] if 0 < end <= len(lines) else ""
            head = lines[found.span.line - 1] if 0 < found.span.line <= len(lines) else ""
            start = ls.position(relative, found.span.line, 1, lines)
            return types.DocumentSymbol(
                name=found.name or "(untitled)",
                detail=found.detail or None,
                kind=_SYMBOL_KINDS[found.kind],
                range=types.Range(start, ls.position(relative, end, len(end_text) + 1, lines)),
                selection_range=types.Range(start, ls.position(relative, found.span.line, len(head) + 1, lines)),
                children=[symbol(child) for child in found.children],
            )

        return [symbol(found) for found in features.document_symbols(ls.checked.story, relative, len(lines))]

    @server.feature(types.WORKSPACE_SYMBOL)
    def workspace_symbols(ls: FabulaServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
        if ls.checked is None:
            return []
        story = ls.checked.story
        return [
            types.WorkspaceSymbol(
                name=found.name,
                kind=_SYMBOL_KINDS[found.kind],
                location=ls.location(features.Place(found.span, 0)),
                container_name=found.detail,
            )
            for found in features.workspace_symbols(story, ls.index(story), params.query)
        ]

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["@"]))
    def completion(ls: FabulaServer, params: types.CompletionParams) -> types.CompletionList | None:
        import re

        found = story_and_place(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        story, relative, text, line, col = found
        before = text[: col - 1]
        # The letters just before the cursor, looked for in the line's last 200 characters: the
        # pattern searched over a long line of letters took quadratic time.
        typed = re.search(r"[^\W\d_]*$", before[-200:])
        prefix = typed.group() if typed else ""
        # Spellings the checks call variants are not offered: completion must not spread a typo.
        assert ls.checked is not None
        variants = {f.names[0].upper() for f in ls.checked.findings if f.code == "N101" and f.names}
        if relative.endswith(SCENE_SUFFIXES):
            document = ls.workspace.get_text_document(params.text_document.uri)
            previous = document.lines[line - 2] if line > 1 else None
            if features.is_cue_line(before, previous):
                cues = features.cue_names(story)
                items = [
                    types.CompletionItem(cue, kind=types.CompletionItemKind.Constant, detail="cue")
                    for cue in cues
                    if cue.startswith(before.strip().lstrip("@").upper()) and not variants & set(cue.split())
                ]
                return types.CompletionList(is_incomplete=False, items=items)
        names = features.prose_names(story, ls.index(story))
        items = [
            types.CompletionItem(name, kind=types.CompletionItemKind.Reference, detail="name")
            for name in names
            if name.casefold().startswith(prefix.casefold()) and not variants & set(name.upper().split())
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: FabulaServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        relative = ls.relative(params.text_document.uri)
        if ls.checked is None or relative is None:
            return None
        first, last = params.range.start.line + 1, params.range.end.line + 1
        return ls.actions(relative, first, last, params.context.only)

    return server


def serve(root: Path | None = None) -> None:
    """Serve one editor over standard input and output until it says exit."""
    make_server(root).start_io()
