"""The pipeline: load → resolve → check → render, with the incremental cache at its edge.

Every face of fabula (the command line, ``watch``, a language server) calls this module and
nothing under it: ``build``, ``check``, ``story`` and ``stats`` each run one command's work
and hand back plain results; printing is the caller's business. Inside, one ``Run`` holds the
output folder and the cache, and goes through the stages in order:

    load     the sources read and parsed (toolkit.loader, toolkit.parsers), each parse
             remembered in the cache by the text it was made from;
    resolve  the story worked out once (toolkit.resolve): calendar, timeline, cast, and on
             first use presence, outline and screenplay layout;
    check    the continuity rules (toolkit.checks), their findings remembered by input;
    render   each output written by its renderer (toolkit.render.products) into a staging
             folder, on two cores where it pays (toolkit.parallel), then moved into place;
             outputs whose inputs did not change are left alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit import GC_THRESHOLD, children
from toolkit.children import STAGE_PREFIX
from toolkit.config import Config, load_config
from toolkit.diagnostics import Diagnostic, Edit
from toolkit.digests import digest
from toolkit.errors import FabulaError
from toolkit.loader import Memo, load_project
from toolkit.model import Project
from toolkit.parallel import Job, Step, in_order, render
from toolkit.render.products import TARGETS, Product, products
from toolkit.resolve import PartMemo, Story, resolve
from toolkit.sources import BIBLE, CONFIG_NAME, MANUSCRIPT, SCREENPLAY, Reads

if TYPE_CHECKING:
    # toolkit.cache is imported where a run keeps one: a --no-cache build does without it
    # (~4 ms of CPU before a screenplay build's worker starts, issue 16).
    from toolkit.cache import Cache
    from toolkit.render.chapters import BookParts
    from toolkit.stats_counts import StatsParts

OUTPUT = "output"
T = TypeVar("T")


@dataclass(frozen=True)
class Overrides:
    """What a command line asks for over fabula.toml."""

    paper: str | None = None  # screenplay paper
    notes: bool = False  # print [[notes]] in the screenplay
    select: tuple[str, ...] = ()  # check only these rule codes or prefixes
    ignore: tuple[str, ...] = ()  # and leave out these

    def apply(self, config: Config) -> Config:
        screenplay = dataclasses.replace(
            config.screenplay, paper=self.paper or config.screenplay.paper, notes=self.notes or config.screenplay.notes
        )
        check = dataclasses.replace(
            config.check, select=self.select or config.check.select, ignore=config.check.ignore + self.ignore
        )
        return dataclasses.replace(config, screenplay=screenplay, check=check)


@dataclass(frozen=True)
class BuildReport:
    written: tuple[Path, ...]
    skipped: tuple[str, ...]  # human-readable reasons
    unchanged: tuple[Path, ...] = ()  # up to date from an earlier build (incremental builds)


@dataclass(frozen=True)
class Built:
    """What ``build`` did: the story it built, what the checks found, what it wrote."""

    story: Story
    findings: tuple[Diagnostic, ...]
    report: BuildReport


# A progress display for a build of ``total`` products: a context that yields the Step callback.
ProgressFactory = Callable[[int], AbstractContextManager[Step]]


# ---------------------------------------------------------------- commands


def build(
    root: Path,
    out: Path | None = None,
    targets: Sequence[str] = TARGETS,
    overrides: Overrides = Overrides(),
    use_cache: bool = True,
    progress: ProgressFactory | None = None,
    on_findings: Callable[[tuple[Diagnostic, ...]], None] | None = None,
) -> Built:
    """Load, resolve, check and render the project at ``root`` into ``out`` (default: output/).

    The checks run while the products render (on a second core where it can), and their
    findings go to ``on_findings`` as soon as they are known, before the build ends.
    """
    _collect_rarely()
    with Run.open(root, out, use_cache) as run:
        try:
            _warm_for_book(run, targets)
            story = run.resolve(run.load(), overrides)
        except BaseException:
            children.drop_warm()
            raise
        findings: list[Diagnostic] = []

        def check() -> None:
            findings.extend(run.check(story))
            if on_findings is not None:
                on_findings(tuple(findings))

        parts = run.book_parts(story) if "book" in targets and story.project.chapters else None
        counts = (lambda: run.stats_parts(story)) if run.cache is not None else None
        chosen, skipped = products(story, tuple(targets), parts, counts)
        try:
            with progress(len(chosen)) if progress is not None else contextlib.nullcontext() as step:
                early = parts.hand_early if parts is not None else None
                report = run.render(story, chosen, skipped, step, alongside=check, early=early)
            if parts is not None:  # the book PDF's chapters, set while pandoc ran, into the cache
                parts.keep_staged()
        finally:
            if parts is not None:
                parts.drop_staged()
    return Built(story, tuple(findings), report)


def _warm_for_book(run: Run, targets: Sequence[str]) -> None:
    """On a build that will set the book PDF (none in the output folder, no cache, or a chapter
    or fabula.toml written since it was: an edit), start Typst's child now
    (book_pdf.warm_typst): its interpreter and imports take the core that loading the project
    leaves idle, before pandoc starts. A child left unused (the chapters' folder held none, the
    edit left the book as it was) is ended with the build, as any warm child is."""
    if "book" not in targets or not (run.root / MANUSCRIPT).is_dir():
        return
    if run.cache is not None and not _written_since(run.folder / "book.pdf", run.root):
        return
    from toolkit.render.book_pdf import warm_typst

    warm_typst(run.cache.folder if run.cache is not None and run.cache.usable else None)


def _written_since(output: Path, root: Path) -> bool:
    """Whether fabula.toml or a file at the top of the chapters' folder was written after
    ``output`` (by the files' times: only a guess at whether the book will be set again, which
    decides nothing but when Typst's child starts); True when there is no ``output``."""
    try:
        written = output.stat().st_mtime_ns
        with os.scandir(root / MANUSCRIPT) as entries:
            times = [entry.stat().st_mtime_ns for entry in entries if not entry.name.startswith(".")]
        with contextlib.suppress(OSError):
            times.append((root / CONFIG_NAME).stat().st_mtime_ns)
    except OSError:
        return True
    return any(when > written for when in times)


def check(root: Path, overrides: Overrides = Overrides(), use_cache: bool = True) -> tuple[Story, list[Diagnostic]]:
    """The story of the project at ``root`` and every finding of its checks."""
    _collect_rarely()
    with Run.open(root, use_cache=use_cache) as run:
        story = run.resolve(run.load(checks=True), overrides)
        with _kept_out_of_collections():
            return story, run.check(story)


def story(root: Path, use_cache: bool = True) -> Story:
    """The project at ``root`` loaded and resolved, for the outline and the stats."""
    _collect_rarely()
    with Run.open(root, use_cache=use_cache) as run:
        return run.resolve(run.load())


@dataclass(frozen=True)
class TextChange:
    """A source file's text before and after its fixes (``fabula check --fix`` and ``--diff``)."""

    path: str  # relative to the project root
    before: str
    after: str
    fixed: tuple[Diagnostic, ...]  # the findings whose fixes were applied


@dataclass(frozen=True)
class Fixed:
    """What ``fix`` did: the story, every finding, and the changes (written only when asked)."""

    story: Story
    findings: tuple[Diagnostic, ...]
    changes: tuple[TextChange, ...]

    @property
    def remaining(self) -> tuple[Diagnostic, ...]:
        """The findings no change fixes."""
        fixed = {finding for change in self.changes for finding in change.fixed}
        return tuple(finding for finding in self.findings if finding not in fixed)


def fix(root: Path, overrides: Overrides = Overrides(), write: bool = False, use_cache: bool = True) -> Fixed:
    """Check the project, then apply the fixes with one right answer (``Fix.safe``) to the
    sources: every file's new text is worked out first, and written (atomically) only with
    ``write``. A fix whose text the file no longer holds at its place is left out."""
    from toolkit.fixes import apply_edits
    from toolkit.loader import source_text
    from toolkit.sources import holds, write_source

    story, findings = check(root, overrides, use_cache)
    by_path: dict[str, list[Diagnostic]] = {}
    for finding in findings:
        if finding.fix is not None and finding.fix.safe:
            for edit in finding.fix.edits:
                by_path.setdefault(edit.span.path, []).append(finding)
    changes = []
    for path, fixable in sorted(by_path.items()):
        before = source_text(root, path)
        if before is None:
            continue
        edits = [edit for finding in fixable if finding.fix for edit in finding.fix.edits if edit.span.path == path]
        after, applied = apply_edits(before, edits)
        done = set(applied)
        fixed = tuple(f for f in dict.fromkeys(fixable) if f.fix and all(e in done for e in f.fix.edits))
        if after != before:
            changes.append(TextChange(path, before, after, fixed))
    # A file not as it was read (edited meanwhile, or not in NFC, which writing the text read
    # back would change beyond the fix) is left alone, and --diff does not show it either.
    changes = [change for change in changes if holds(root, change.path, change.before)]
    if write:
        changes = [change for change in changes if write_source(root, change.path, change.after, change.before)]
    return Fixed(story, tuple(findings), tuple(changes))


@dataclass(frozen=True)
class Checked:
    """One check of a ``Session``: the story as the buffers have it, and its findings."""

    story: Story
    findings: tuple[Diagnostic, ...]
    texts: Mapping[str, str]  # the text of every source the story was made from, by relative path


@dataclass
class Session:
    """A project checked again and again by a face that stays up (the language server).

    Each ``check`` loads the project with some files' texts taken from ``buffers`` (an
    editor's unsaved text) rather than from disk, resolves and checks it. Parses are kept in
    memory by the texts they were made from, so a check after a keystroke parses the changed
    file alone; the first check goes through the cache in output/.cache/ too (and fills it),
    so that a server started on a project already checked parses nothing. Parses no longer
    used are let go after each check: one parse per file is held. What the resolve and the
    rules work out from one chapter or scene is kept the same way (resolve.PartMemo), and a
    file unchanged on disk is not read again (sources.Reads).
    """

    root: Path
    overrides: Overrides = Overrides()
    _parses: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = field(default_factory=dict, repr=False)
    _warm: bool = False
    _reads: Reads = field(default_factory=Reads, repr=False)
    _memo: PartMemo = field(default_factory=PartMemo, repr=False)

    def check(self, buffers: Mapping[str, str] | None = None) -> Checked:
        _collect_rarely()
        used: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        texts: dict[str, str] = {}
        with Run.open(self.root, use_cache=not self._warm) as run:
            below = run.cache.memo if run.cache is not None else None

            def memo(kind: str, sources: tuple[tuple[str, str], ...], parse: Callable[[], Any]) -> Any:
                texts.update(sources)
                key = (kind, sources)
                if key in self._parses:
                    found = self._parses[key]
                else:
                    found = below(kind, sources, parse) if below is not None else parse()
                used[key] = found
                return found

            story = run.resolve(run.load(buffers, memo, self._reads), self.overrides, self._memo)
            findings = run.check(story, concurrent=False)
        self._parses = used
        self._reads.forget_unused()
        self._memo.turn()
        self._warm = True
        return Checked(story, tuple(findings), texts)

    def text(self, path: str, buffers: Mapping[str, str] | None = None) -> str | None:
        """The text of one file of the project (relative path), from ``buffers`` first."""
        from toolkit.loader import source_text

        return source_text(self.root, path, buffers)

    def names_ok_change(self, name: str, buffers: Mapping[str, str] | None = None) -> TextChange | None:
        """fabula.toml with ``name`` added to ``[check] names_ok`` (None: it cannot be said so)."""
        from toolkit.config import with_name_ok

        before = self.text(CONFIG_NAME, buffers) or ""
        after = with_name_ok(before, name)
        return None if after is None or after == before else TextChange(CONFIG_NAME, before, after, ())

    def distinct_change(self, character: str, name: str, buffers: Mapping[str, str] | None = None) -> TextChange | None:
        """characters.yaml with ``name`` in the ``distinct`` list of ``character``."""
        from toolkit.parsers.bible import with_distinct

        before = self.text(BIBLE, buffers)
        after = None if before is None else with_distinct(before, character, name)
        return None if before is None or after is None or after == before else TextChange(BIBLE, before, after, ())


def explain_page(root: Path, code: str) -> Path | None:
    """A Markdown page of ``fabula check --explain CODE`` under output/.cache/explain/, for an
    editor to link a finding's code to (None: the output folder cannot be written)."""
    from toolkit.report import explain

    cache = output_folder(root, None) / ".cache"
    page = cache / "explain" / f"{code}.md"
    # A rule code names the page, never a path; a cache folder that is a link is not written through.
    if not code.isalnum() or cache.is_symlink() or page.parent.is_symlink():
        return None
    text = explain(code)
    try:
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            page.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=page.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temp, page)
    except OSError:
        return None
    return page


def ignore_edit(path: str, line: int, codes: Sequence[str]) -> Edit:
    """The edit that puts a ``fabula: ignore`` comment for ``codes`` on its own line above
    ``line`` of ``path``: an HTML comment in a chapter, a note in a scene."""
    from toolkit.loader import ignore_comment
    from toolkit.model import Span

    return Edit(Span(path, line, 1), "", ignore_comment(path, codes))


def _collect_rarely() -> None:
    """Collect reference cycles rarely from now on, as mypy does.

    A command builds one large model of acyclic frozen dataclasses and keeps it; CPython's
    default (a collection every 700 new objects) re-scans it again and again: a fifth of a
    check on a 1M-word project. Reference counting still frees everything else. The setting
    is left in place when the command returns, on purpose: put back, it would make the next
    allocations run full collections over the model the caller still holds (0.4 s of CPU
    after a 1M-word check, measured with benchmarks/check.py).
    """
    if gc.get_threshold()[0] < _GC_THRESHOLD[0]:
        gc.set_threshold(*_GC_THRESHOLD)


_GC_THRESHOLD = GC_THRESHOLD


@contextlib.contextmanager
def _kept_out_of_collections() -> Iterator[None]:
    """Inside, the objects made so far (the story just loaded: a 1M-word book's model) are left
    out of the cycle collector's scans (``gc.freeze``), and put back in its oldest generation
    on leaving (``gc.unfreeze``), where only a full collection scans them again. Never collected
    since it was made, the whole model is in the youngest generation: the first collection
    that the checks' own allocations start (one in a 1M-word check of published novels)
    scanned all of it, ~0.3 s of CPU, to find the checks' few cycles. Nothing is left
    uncollected: a cycle made inside is collected there as before, one made before it once
    the objects are put back. Where objects are frozen already (by the caller), or the
    collector is off, nothing changes."""
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------- the stages


@dataclass
class Run:
    """One command's run against a project: the stages, through the cache.

    Leaving the ``with`` block normally writes what the run learnt into the cache; a run that
    fails leaves the cache as it was.
    """

    root: Path
    folder: Path  # the output folder
    cache: Cache | None  # None: everything from scratch (--no-cache)
    size: int = 0  # characters of the sources read: the time limits grow with it
    # What the checks work out from each part, worked out with its parse (on two cores: load).
    parts_memo: PartMemo | None = None

    @classmethod
    @contextlib.contextmanager
    def open(cls, root: Path, out: Path | None = None, use_cache: bool = True) -> Iterator[Run]:
        folder = output_folder(root, out)
        cache = None
        if use_cache:
            from toolkit.cache import Cache

            cache = Cache.open(folder, root)
        run = cls(root, folder, cache)
        yield run
        if run.cache is not None:
            run.cache.flush()

    def load(
        self,
        buffers: Mapping[str, str] | None = None,
        memo: Memo | None = None,
        reads: Reads | None = None,
        checks: bool = False,
    ) -> tuple[Config, Project]:
        """fabula.toml, then every source parsed (or its parse from the cache, or from ``memo``
        in front of it); ``buffers`` stand for the files' text on disk (an editor's unsaved text);
        ``reads`` keeps files' texts from one load to the next; ``checks``: the checks will run
        on what is loaded (the name rules' words are then counted with the parse).
        The characters read are counted (``size``): the time limits grow with them."""
        config = load_config(self.root, buffers)
        below = memo or (self.cache.memo if self.cache is not None else None)

        def counted(kind: str, sources: tuple[tuple[str, str], ...], parse: Callable[[], T]) -> T:
            self.size += sum(len(text) for _, text in sources)
            return below(kind, sources, parse) if below is not None else parse()

        # Nothing below to hand back a parse: every file is parsed, on two cores where it can pay,
        # and the name rules' words of each chapter and scene file counted with its parse.
        per_part = None
        if below is None and checks:
            from toolkit.checks.name_text import NAME_WORDS, group_words

            parts = self.parts_memo = PartMemo()
            per_part = group_words, functools.partial(parts.put, NAME_WORDS)
        return config, load_project(
            self.root, counted, config.language, buffers, reads, concurrent=below is None, per_part=per_part
        )

    def resolve(
        self, loaded: tuple[Config, Project], overrides: Overrides = Overrides(), memo: PartMemo | None = None
    ) -> Story:
        config, project = loaded
        remember = self.cache.remember if self.cache is not None else None
        return resolve(project, overrides.apply(config), memo if memo is not None else self.parts_memo, remember)

    def check(self, story: Story, concurrent: bool = True) -> list[Diagnostic]:
        """Every finding; with ``concurrent``, a large project's checked on two cores where it
        can (checks/run.py; not in a session, which keeps what every rule worked out in its
        memo for the next check, and forks nothing each keystroke)."""
        from toolkit.checks.run import run_checks

        size = self.size if concurrent else 0
        if self.cache is None:
            return run_checks(story, size)
        from toolkit.cache import FINDINGS

        key = digest("checks", self.cache.inputs_digest(), repr(story.config))
        return self.cache.remember("checks", key, lambda: run_checks(story, size), FINDINGS)

    def book_parts(self, story: Story) -> BookParts:
        """The chapters as pandoc converts each for the book, kept in the cache between builds:
        an edit to one chapter converts that one (render/chapters.py). The pandoc binary is in
        every entry's fingerprint (toolkit/cache.py)."""
        from toolkit.render.chapters import Conversion, EpubChapter, Part, part_type
        from toolkit.render.docx_parts import DocxChapter
        from toolkit.render.products import book_parts

        parts = book_parts(story)
        parts.scratch = self.folder  # pandoc's temporary files go where the build writes (render/chapters.py)
        cache = self.cache
        if cache is None:
            return parts

        def key(conversion: Conversion, source: str) -> str:
            return digest("chapter", repr(conversion), str(story.meta.epoch), source)

        def lookup(conversion: Conversion, source: str) -> Part | None:
            found, value = cache.get("chapter", key(conversion, source), part_type(conversion))
            if (
                found
                and isinstance(value, str | EpubChapter | DocxChapter)
                and isinstance(value, part_type(conversion))
            ):
                return value
            return None

        def keep(conversion: Conversion, source: str, part: Part) -> None:
            cache.put("chapter", key(conversion, source), part, part_type(conversion))

        def exists(conversion: Conversion, source: str) -> bool:
            return cache.holds("chapter", key(conversion, source))

        parts.lookup, parts.keep, parts.memo, parts.recall = lookup, keep, cache.remember, cache.get
        parts.exists = exists
        parts.store = cache.folder if cache.usable else None
        from toolkit.cache import MANIFEST, RECORDED

        found, recorded = cache.get(MANIFEST, "outputs", RECORDED)
        if found:  # the outputs as the last build wrote them (an output changed since is not read)
            parts.earlier = {name: (self.folder / name, sha) for name, (_, sha) in recorded.items()}
        return parts

    def stats_parts(self, story: Story) -> StatsParts:
        """The report's counts (toolkit/stats.py), kept in the cache between builds: each chapter's
        by its text, the screenplay's by its sources and the pagination."""
        from toolkit.stats_counts import stats_parts

        if self.cache is None:
            return stats_parts(story)
        return stats_parts(story, self.cache.remember, self.cache.inputs_digest((SCREENPLAY,)))

    def render(
        self,
        story: Story,
        chosen: list[Product],
        skipped: list[str],
        progress: Step | None = None,
        alongside: Callable[[], None] | None = None,
        early: Callable[[], None] | None = None,
    ) -> BuildReport:
        """Render every product into temporary files, then move them all into place.

        Nothing is left behind when a renderer fails: the temporary files are removed and the
        previous outputs stay as they were. Products still up to date are left alone;
        ``progress`` hears of each product (see parallel.Step). The products render on two
        cores where fork is available (parallel.py), and ``alongside`` (the checks) runs in
        this process meanwhile. ``early`` (the book's Typst handed to its child) runs once the
        products' work before rendering has started, before ``alongside``.
        """
        folder = self.folder
        folder.mkdir(parents=True, exist_ok=True)
        outputs = None
        if self.cache is not None:
            from toolkit.cache import OutputCache

            outputs = OutputCache.open(self.cache, story.config, story.meta)
        unchanged = [p for p in chosen if outputs is not None and outputs.fresh(p, folder / p.name)]
        todo = [p for p in chosen if p not in unchanged]
        try:
            # The book's chapters go to pandoc first (here, where the cache is kept, not in a
            # worker); the outline and the checks are worked out while pandoc runs.
            started = [product.prepare() for product in todo if product.prepare is not None]
            waits = [wait for wait in started if wait is not None]
            _work_out_shared_parts(story, todo)
            if waits and early is not None:
                early()
            if waits and alongside is not None:
                with in_order():  # pandoc (and Typst) keep both cores busy meanwhile
                    alongside()
                alongside = None
            if waits:  # while pandoc may still be writing the chapters' other parts
                _set_up_shared(todo)
            for wait in waits:
                wait()
            with _staging(folder) as stage:
                staged = [(p, stage / p.name, folder / p.name) for p in todo]
                # A product whose render is a wait for another process (the book PDF that Typst's
                # child sets) is taken last: the other products render meanwhile, in both processes.
                last = sorted(staged, key=lambda item: item[0].waits is not None and item[0].waits())
                jobs = [Job(product.name, product.write, temp) for product, temp, _ in last]
                render(jobs, progress, alongside, self.size)
                for product, temp, final in staged:
                    os.replace(temp, final)
                    if outputs is not None:
                        outputs.record(product, final)
        finally:
            children.drop_warm()  # a child started ahead for a product that failed first
        if outputs is not None:
            outputs.save()
        return BuildReport(
            tuple(final for _, _, final in staged), tuple(skipped), tuple(folder / p.name for p in unchanged)
        )


def _work_out_shared_parts(story: Story, todo: list[Product]) -> None:
    """Work out, before the products are shared out between two processes, the parts of the
    story that more than one of them reads (the outline, the screenplay's layout): a part
    worked out in the forked worker would be worked out again in this process."""
    readers: dict[str, int] = {}
    for product in todo:
        for part in product.reads:
            readers[part] = readers.get(part, 0) + 1
    for part, count in sorted(readers.items()):
        if count > 1:
            getattr(story, part)


def _set_up_shared(todo: list[Product]) -> None:
    """Set up, before the products are shared out between two processes, what more than one of
    them starts its render with (Jinja2 and the templates' environments, ``Product.setup``): set
    up in each process, Jinja2's import alone took ~60 ms of CPU twice in an edit build."""
    setups = [product.setup for product in todo if product.setup is not None]
    if len(setups) > 1:
        for setup in dict.fromkeys(setups):
            setup()


@contextlib.contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A temporary folder inside ``folder`` (same file system, so renames are atomic), named for
    this process; staging folders that builds killed before they could clean up go first."""
    remove_stale_staging(folder)
    with tempfile.TemporaryDirectory(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=folder) as stage:
        yield Path(stage)


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove the staging folders of builds that are no longer running; return them.

    A build stopped by ``kill -9`` (or a power cut) cannot remove its own. Each is named for its
    process (``.fabula-stage-PID-…``): one whose process is gone is stale. Folders of older
    fabula versions (``.fabula-`` and eight characters) are stale after an hour. Nothing else in
    the folder is touched.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink() and _stale(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _stale(entry: Path) -> bool:
    name = entry.name
    if name.startswith(STAGE_PREFIX):
        pid = name[len(STAGE_PREFIX) :].partition("-")[0]
        return pid.isdigit() and not _running(int(pid))
    if name.startswith(".fabula-") and len(name) == len(".fabula-") + 8:
        with contextlib.suppress(OSError):
            return time.time() - entry.stat().st_mtime > 3600
    return False


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows: assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


# ---------------------------------------------------------------- places and summaries


def find_root(start: Path) -> Path:
    """The project folder: ``start`` or the nearest parent holding fabula.toml or a source folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "fabula.toml").is_file() or (folder / MANUSCRIPT).is_dir() or (folder / SCREENPLAY).is_dir():
            return folder
    return start


def output_folder(root: Path, out: Path | None) -> Path:
    """``root/output`` or the folder asked for (``--out``), refusing the places a build must not write.

    A build writes its outputs, its cache and a staging folder into the output folder and
    replaces files there: never the filesystem's root, a home folder (or a folder above one),
    the project folder or a folder above it, nor the sources (``manuscript/``, ``screenplay/``,
    or a folder inside them).
    """
    folder = (out if out is not None else root / OUTPUT).resolve()
    project = root.resolve()
    sources = {(root / MANUSCRIPT).resolve(), (root / SCREENPLAY).resolve()}
    homes = {Path(os.path.expanduser("~")).resolve()}
    if folder == Path(folder.anchor):
        reason = "the filesystem's root"
    elif folder in homes or any(folder in home.parents for home in homes):
        reason = "a home folder"
    elif folder == project or folder in project.parents:
        reason = "the project folder or a folder that holds it"
    elif folder in sources or any(source in folder.parents for source in sources):
        reason = "the project's sources"
    elif out is None and project not in folder.parents:
        # Only a writer's --out chooses a folder elsewhere: a project's own output/ that is a
        # link out of it (planted in a shared project) must not aim the build at other files.
        reason = f"{folder}, outside the project ({OUTPUT}/ is a link leading out of it)"
    else:
        return folder
    raise FabulaError(f"refusing to write build output into {reason}; choose an empty or new folder", path=str(folder))


def summary(story: Story) -> str:
    """One line on what was read: "Title: 6 chapters (9,034 words), 28 scenes, 11 story days"."""
    project = story.project
    chapters = len(project.chapters)
    words = sum(chapter.words for chapter in project.chapters)
    scenes = len(project.screenplay.scenes) if project.screenplay else 0
    days = {placement.day for placement in story.timeline.placements if placement.day is not None}
    undated = sum(1 for placement in story.timeline.placements if placement.day is None)
    parts = []
    if chapters:
        parts.append(f"{chapters} chapter{'s' * (chapters != 1)} ({words:,} words)")
    if project.screenplay is not None:
        parts.append(f"{scenes} scene{'s' * (scenes != 1)}")
    parts.append(f"{len(days)} story day{'s' * (len(days) != 1)}")
    if undated:
        parts.append(f"{undated} undated (listed at the end of the outline)")
    return f"{story.meta.title}: {', '.join(parts)}"
