"""A real LSP client (pygls's) driving `python -m toolkit lsp` over stdio, as an editor would."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from tests.conftest import REPO

CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(value_set=[types.CodeActionKind.QuickFix])
            )
        ),
    ),
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=True, resource_operations=[types.ResourceOperationKind.Create]
        )
    ),
)


class Editor:
    """One editor session against one project: open, type, ask, and what the server published."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("fabula-tests", "1")
        self.published: dict[str, types.PublishDiagnosticsParams] = {}
        self.arrivals: list[tuple[float, types.PublishDiagnosticsParams]] = []
        self.logged: list[str] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = params
            self.arrivals.append((time.perf_counter(), params))

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            self.logged.append(params.message)

    def uri(self, relative: str) -> str:
        return (self.root / relative).resolve().as_uri()

    async def start(self, *args: str) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "toolkit", "lsp", *args, cwd=str(REPO))
        result = await self.client.initialize_async(
            types.InitializeParams(
                capabilities=CAPABILITIES,
                root_uri=self.root.resolve().as_uri(),
                workspace_folders=[types.WorkspaceFolder(self.root.resolve().as_uri(), self.root.name)],
            )
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> int | None:
        await asyncio.wait_for(self.client.shutdown_async(None), 30)
        self.client.exit(None)
        server = self.client._server
        code = await asyncio.wait_for(server.wait(), 30) if server is not None else None
        await self.client.stop()
        return code

    def kill(self) -> None:
        """End the server process if it still runs (a test that failed half-way)."""
        server = self.client._server
        if server is not None and server.returncode is None:
            server.kill()

    def open(self, relative: str, text: str | None = None) -> None:
        text = (self.root / relative).read_text(encoding="utf-8") if text is None else text
        self.versions[relative] = 1
        self.texts[relative] = text
        language = "fountain" if relative.endswith(".fountain") else "markdown"
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(self.uri(relative), language, 1, text))
        )

    def replace(self, relative: str, text: str) -> int:
        """Send the whole new text (as a full change); the version sent."""
        self.versions[relative] += 1
        self.texts[relative] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=self.uri(relative), version=self.versions[relative]),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )
        return self.versions[relative]

    def type_at(self, relative: str, line: int, character: int, typed: str) -> int:
        """Insert ``typed`` at a 0-based position (an incremental change, as editors send keystrokes)."""
        self.versions[relative] += 1
        lines = self.texts[relative].split("\n")
        lines[line] = lines[line][:character] + typed + lines[line][character:]
        self.texts[relative] = "\n".join(lines)
        where = types.Position(line, character)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=self.uri(relative), version=self.versions[relative]),
                [types.TextDocumentContentChangePartial(types.Range(where, where), typed)],
            )
        )
        return self.versions[relative]

    async def until(self, condition: Callable[[], Any], timeout: float = 60) -> Any:
        """Wait until ``condition()`` is true (what the server published arrives in between)."""
        deadline = time.monotonic() + timeout
        while True:
            found = condition()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; published: {sorted(self.published)} log: {self.logged}")
            await asyncio.sleep(0.01)

    async def diagnostics(self, relative: str, version: int | None = None) -> list[types.Diagnostic]:
        """The diagnostics of a file, once published (for ``version`` of it, if given)."""
        uri = self.uri(relative)

        def ready() -> bool:
            found = self.published.get(uri)
            return found is not None and (version is None or found.version == version)

        await self.until(ready)
        return list(self.published[uri].diagnostics)
