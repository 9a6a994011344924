"""`fabula lsp` driven over stdio by a real LSP client (pygls's), as an editor drives it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.conftest import copy_fixture
from tests.lsp.editor import Editor

CHAPTER = "manuscript/02-chapter.md"  # "Katherine took the first watch" at line 17 (N101, bible)
WEEKDAY = "manuscript/03-chapter.md"  # "*Friday, 11 March 2023.*" at line 19 (D102)
SCENES = "screenplay/01-scenes.fountain"  # OKONKOW at line 22 (N101)


def run(editor: Editor, session) -> None:
    """Run an editor session; the server is killed if the session fails half-way."""

    async def guarded() -> None:
        try:
            await asyncio.wait_for(session(editor), 240)
        finally:
            editor.kill()

    asyncio.run(guarded())


def line_of(root: Path, relative: str, needle: str) -> int:
    """0-based line of the first line holding ``needle``."""
    return next(n for n, line in enumerate((root / relative).read_text().split("\n")) if needle in line)


def test_an_editor_session_from_open_to_shutdown(tmp_path: Path) -> None:
    root = copy_fixture("continuity", tmp_path)

    async def session(editor: Editor) -> None:
        result = await editor.start()
        capabilities = result.capabilities
        assert capabilities.hover_provider and capabilities.definition_provider and capabilities.references_provider
        assert capabilities.document_symbol_provider and capabilities.workspace_symbol_provider
        assert capabilities.completion_provider is not None and capabilities.code_action_provider

        # Findings of the whole project before anything is opened, as `fabula check` gives them.
        found = await editor.diagnostics(CHAPTER)
        (variant,) = found
        assert (variant.code, variant.severity, variant.source) == ("N101", types.DiagnosticSeverity.Error, "fabula")
        assert variant.message.startswith("Katherine: did you mean Katharine?")
        assert variant.range == types.Range(types.Position(16, 0), types.Position(16, 9))
        assert variant.code_description is not None and variant.code_description.href.endswith("/N101.md")
        explained = Path(variant.code_description.href.removeprefix("file://")).read_text(encoding="utf-8")
        assert explained.startswith("N101 (name-variant")

        # Unsaved text: typing the right spelling clears the finding; the file on disk is untouched.
        editor.open(CHAPTER)
        text = editor.texts[CHAPTER]
        version = editor.replace(CHAPTER, text.replace("Katherine took", "Katharine took"))
        assert await editor.diagnostics(CHAPTER, version) == []
        assert "Katherine took" in (root / CHAPTER).read_text(encoding="utf-8")
        # A keystroke (an incremental change) that makes a new variant brings a finding back.
        line = line_of(root, CHAPTER, "Katherine took")
        version = editor.type_at(CHAPTER, line, 0, "Okonkow said so. ")
        (okonkow,) = await editor.diagnostics(CHAPTER, version)
        assert okonkow.code == "N101" and okonkow.message.startswith("Okonkow: did you mean Okonkwo?")
        assert okonkow.range.start == types.Position(line, 0)

        # Hover on a date: its weekday, DAY number, place among the story days, and what is wrong.
        editor.open(WEEKDAY)
        date_line = line_of(root, WEEKDAY, "Friday, 11 March 2023")
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(editor.uri(WEEKDAY)), types.Position(date_line, 3))
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        shown = hover.contents.value
        assert "Saturday, 11 March 2023 – DAY 6" in shown
        assert "weekday: Saturday (the text says Friday)" in shown and "story day " in shown and "D102" in shown

        # Hover on a name: the bible entry, first and last appearance.
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(editor.uri(SCENES)), types.Position(2, 0))
        )
        editor.open(SCENES)
        cue_line = line_of(root, SCENES, "OKONKWO")
        await editor.until(lambda: editor.published.get(editor.uri(SCENES)))
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(editor.uri(SCENES)), types.Position(cue_line, 2))
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**Okonkwo Adeyemi**")
        assert "first appears:" in hover.contents.value and "characters.yaml, line" in hover.contents.value

        # Go to definition: the cue to the bible entry; references: every place across files.
        where = types.TextDocumentPositionParams(
            types.TextDocumentIdentifier(editor.uri(SCENES)), types.Position(cue_line, 2)
        )
        definition = await editor.client.text_document_definition_async(
            types.DefinitionParams(where.text_document, where.position)
        )
        assert isinstance(definition, types.Location) and definition.uri == editor.uri("characters.yaml")
        bible = (root / "characters.yaml").read_text().split("\n")
        assert "Okonkwo Adeyemi" in bible[definition.range.start.line]
        references = await editor.client.text_document_references_async(
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=False),
                text_document=where.text_document,
                position=where.position,
            )
        )
        assert references is not None
        files = {Path(ref.uri).name for ref in references}
        assert "01-scenes.fountain" in files and "02-chapter.md" in files and len(references) > 100
        for ref in references[:20]:
            text = (root / Path(ref.uri.removeprefix("file://")).relative_to(root)).read_text().split("\n")
            written = text[ref.range.start.line][ref.range.start.character : ref.range.end.character]
            assert written in ("Okonkwo", "OKONKWO"), written

        # Document symbols: the chapter with its day; scenes in a scene file.
        symbols = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(types.TextDocumentIdentifier(editor.uri(WEEKDAY)))
        )
        assert symbols and isinstance(symbols[0], types.DocumentSymbol)
        assert symbols[0].kind == types.SymbolKind.Module and symbols[0].detail
        assert any(child.kind == types.SymbolKind.Event for child in symbols[0].children or [])
        scenes = await editor.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(types.TextDocumentIdentifier(editor.uri(SCENES)))
        )
        assert (
            scenes and scenes[0].name == "DAY 1 — Monday, 6 March 2023" and scenes[0].kind == types.SymbolKind.Namespace
        )
        inside = scenes[0].children or []
        assert [s.name for s in inside][:2] == ["INT. LAMP ROOM - DAY", "INT. NORTH PATH - DAY"]
        assert inside[0].kind == types.SymbolKind.Class and inside[0].detail == "Monday, 6 March 2023 – DAY 1"

        # Workspace symbols: characters and story days.
        found_symbols = await editor.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="okon"))
        assert found_symbols and found_symbols[0].name == "Okonkwo Adeyemi"
        days = await editor.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="DAY 6"))
        assert days and all(s.kind == types.SymbolKind.Event for s in days)

        # Completion: cues in a Fountain cue line, names in prose.
        end = len(editor.texts[SCENES].split("\n"))
        version = editor.type_at(SCENES, end - 1, len(editor.texts[SCENES].split("\n")[-1]), "\n\nOKO")
        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(editor.uri(SCENES)), types.Position(end + 1, 3))
        )
        assert isinstance(completion, types.CompletionList) and [i.label for i in completion.items] == ["OKONKWO"]
        prose_line = line_of(root, CHAPTER, "as she always did")
        editor.type_at(CHAPTER, prose_line, 0, "Marg")
        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(types.TextDocumentIdentifier(editor.uri(CHAPTER)), types.Position(prose_line, 4))
        )
        assert isinstance(completion, types.CompletionList)
        assert {"Margot Hale", "Margot"} <= {item.label for item in completion.items}

        # Code actions on the D102 finding: the right weekday (preferred), and an ignore comment.
        await editor.until(lambda: editor.published.get(editor.uri(WEEKDAY)))
        (weekday,) = [d for d in editor.published[editor.uri(WEEKDAY)].diagnostics if d.code == "D102"]
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(editor.uri(WEEKDAY)), weekday.range, types.CodeActionContext([weekday])
            )
        )
        assert actions is not None
        by_title = {a.title: a for a in actions if isinstance(a, types.CodeAction)}
        fix = by_title["Replace Friday with Saturday"]
        assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix and fix.edit and fix.edit.changes
        (edit,) = fix.edit.changes[editor.uri(WEEKDAY)]
        assert edit.new_text == "Saturday" and edit.range.start == types.Position(date_line, 1)
        assert "Ignore D102 here (a fabula: ignore comment)" in by_title

        # Apply the fix as an editor would, and the finding goes.
        lines = editor.texts[WEEKDAY].split("\n")
        lines[date_line] = lines[date_line][:1] + "Saturday" + lines[date_line][1 + len("Friday") :]
        version = editor.replace(WEEKDAY, "\n".join(lines))
        assert not [d for d in await editor.diagnostics(WEEKDAY, version) if d.code == "D102"]

        assert await editor.stop() == 0
        assert not [message for message in editor.logged if "failed" in message]

    run(Editor(root), session)


def test_code_actions_write_names_ok_a_distinct_pair_and_ignore_comments_that_work(tmp_path: Path) -> None:
    """Each edit the server offers, applied to the files, silences its finding in `fabula check`."""
    from toolkit import pipeline

    root = copy_fixture("continuity", tmp_path)

    async def session(editor: Editor) -> list[types.CodeAction]:
        await editor.start()
        chapter = "manuscript/12-chapter.md"  # Hemmingway, a variant found by counting (no fix is safe)
        found = await editor.diagnostics(chapter)
        (variant,) = [d for d in found if d.code == "N101"]
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(editor.uri(chapter)), variant.range, types.CodeActionContext([variant])
            )
        )
        by_title = {a.title: a for a in actions or [] if isinstance(a, types.CodeAction)}
        guess = by_title["Replace Hemmingway with Hemingway"]
        assert not guess.is_preferred  # a guess from counts: offered, never applied by --fix
        names_ok = by_title["Add Hemmingway to [check] names_ok in fabula.toml"]
        ignore = by_title["Ignore N101 here (a fabula: ignore comment)"]
        bible_chapter = "manuscript/02-chapter.md"
        (katherine,) = await editor.diagnostics(bible_chapter)
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(editor.uri(bible_chapter)),
                katherine.range,
                types.CodeActionContext([katherine]),
            )
        )
        titles = {a.title: a for a in actions or [] if isinstance(a, types.CodeAction)}
        distinct = titles["Katherine is someone else: add it to Katharine Vell's distinct in characters.yaml"]
        assert await editor.stop() == 0
        return [names_ok, ignore, distinct]

    found: list[types.CodeAction] = []

    async def keep(editor: Editor) -> None:
        found.extend(await session(editor))

    run(Editor(root), keep)
    names_ok, ignore, distinct = found

    def apply(action: types.CodeAction) -> None:
        assert action.edit is not None
        for change in action.edit.document_changes or []:
            assert isinstance(change, types.TextDocumentEdit)
            path = Path(change.text_document.uri.removeprefix("file://"))
            (edit,) = change.edits
            path.write_text(edit.new_text, encoding="utf-8")
        for uri, edits in (action.edit.changes or {}).items():
            path = Path(uri.removeprefix("file://"))
            lines = path.read_text(encoding="utf-8").split("\n")
            (edit,) = edits
            start = edit.range.start
            lines[start.line] = (
                lines[start.line][: start.character] + edit.new_text + lines[start.line][start.character :]
            )
            path.write_text("\n".join(lines), encoding="utf-8")

    def messages() -> list[str]:
        return [f.message for f in pipeline.check(root, use_cache=False)[1]]

    assert any(m.startswith("Hemmingway") for m in messages())
    apply(ignore)
    assert not any(m.startswith("Hemmingway") for m in messages())
    assert any(m.startswith("Katherine") for m in messages())
    apply(distinct)
    assert not any(m.startswith("Katherine") for m in messages())
    assert "distinct: [Katherine]" in (root / "characters.yaml").read_text(encoding="utf-8")
    (root / "manuscript/12-chapter.md").write_text(
        (root / "manuscript/12-chapter.md").read_text().replace("<!-- fabula: ignore N101 -->\n", ""), encoding="utf-8"
    )
    assert any(m.startswith("Hemmingway") for m in messages())
    apply(names_ok)
    assert not any(m.startswith("Hemmingway") for m in messages())
    assert 'names_ok = ["Hemmingway"]' in (root / "fabula.toml").read_text(encoding="utf-8")


def test_input_errors_are_diagnostics_on_their_file_and_the_server_lives_on(tmp_path: Path) -> None:
    root = copy_fixture("continuity", tmp_path)

    async def session(editor: Editor) -> None:
        await editor.start()
        assert [d.code for d in await editor.diagnostics(CHAPTER)] == ["N101"]
        # Broken TOML typed into fabula.toml: an error there, and no finding claimed meanwhile.
        editor.open("fabula.toml")
        version = editor.replace("fabula.toml", 'title = "The Lamp Room\n')
        (broken,) = await editor.diagnostics("fabula.toml", version)
        assert broken.message.startswith("invalid TOML") and broken.severity == types.DiagnosticSeverity.Error
        assert broken.range.start.line == 0
        # The chapter's findings are withdrawn in a notification of their own, sent after
        # fabula.toml's: wait for it (a timeout fails the test if they stay).
        await editor.until(
            lambda: editor.published.get(editor.uri(CHAPTER)) and not editor.published[editor.uri(CHAPTER)].diagnostics
        )
        version = editor.replace("fabula.toml", 'title = "The Lamp Room"\n')
        assert await editor.diagnostics("fabula.toml", version) == []
        await editor.until(
            lambda: editor.published.get(editor.uri(CHAPTER)) and editor.published[editor.uri(CHAPTER)].diagnostics
        )
        # A file saved in another encoding: an error on its line, found when the editor says files changed.
        broken_file = "manuscript/99-broken.md"
        (root / broken_file).write_bytes(b"# DAY 30\n\nThe caf\xe9 was shut.\n")
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(editor.uri(broken_file), types.FileChangeType.Created)])
        )
        (error,) = await editor.diagnostics(broken_file)
        assert "not valid UTF-8" in error.message and error.range.start.line == 2
        (root / broken_file).unlink()
        # Nonsense typed into a chapter and a scene never stops the server.
        editor.open(CHAPTER)
        for number in range(1, 40):
            editor.replace(CHAPTER, "\x00\ufeff# \n\n<!-- \n[[ ]] ~~~ \r\r\n*" * number)
        editor.open(SCENES)
        version = editor.replace(SCENES, "^\n@\n\n.\n>\n===\n[[\n/*\n" * 50)
        await editor.diagnostics(SCENES, version)
        assert (
            not editor.published.get(editor.uri(broken_file))
            or not editor.published[editor.uri(broken_file)].diagnostics
        )
        assert await editor.stop() == 0
        assert not [message for message in editor.logged if "failed" in message]

    run(Editor(root), session)
