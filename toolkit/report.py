"""Writes check findings for people and machines: text, JSON, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from toolkit import __version__
from toolkit.diagnostics import Diagnostic


class CheckFormat(StrEnum):
    """How ``fabula check`` prints its findings."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


FORMATS = tuple(fmt.value for fmt in CheckFormat)
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def repository_root(project: Path) -> Path:
    """The folder that GitHub annotations and SARIF locations are relative to.

    GitHub resolves an annotation's ``file`` and code scanning resolves SARIF's ``%SRCROOT%``
    against the root of the repository, so a book kept in ``books/winter/`` must say
    ``books/winter/manuscript/1.md``. That root is the nearest folder, from the project up,
    holding ``.git`` (a folder, or a file in a worktree or submodule), as ``git rev-parse
    --show-toplevel`` finds it. Outside a repository: the working directory when the project
    is inside it, as compilers print paths; otherwise the project folder itself.
    """
    project = project.resolve()
    for folder in (project, *project.parents):
        if (folder / ".git").exists():
            return folder
    cwd = Path.cwd().resolve()
    return cwd if project.is_relative_to(cwd) else project


def _rebased(findings: Sequence[Diagnostic], project: Path | None) -> tuple[list[str], Path | None]:
    """Each finding's path, relative to ``repository_root(project)``; the root (None: paths as they are)."""
    if project is None:
        return [finding.span.path for finding in findings], None
    root = repository_root(project)
    prefix = project.resolve().relative_to(root)
    return [(prefix / finding.span.path).as_posix() for finding in findings], root


def format_text(findings: Sequence[Diagnostic], project: Path | None = None) -> str:
    """``path:line:col: CODE message``, one a line, as compilers and ruff print them."""
    return "".join(f"{finding.format()}\n" for finding in findings)


def format_json(findings: Sequence[Diagnostic], project: Path | None = None) -> str:
    records = [
        {
            "path": finding.span.path,
            "line": finding.span.line,
            "col": finding.span.col,
            "code": finding.code,
            "severity": finding.severity,
            "message": finding.message,
        }
        for finding in findings
    ]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (the runner's toolkit escapeData / escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Diagnostic], project: Path | None = None) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ``::error file=manuscript/1.md,line=5,col=1,title=D102::5 March 2023 is a Sunday…``, the
    path relative to the repository root (``repository_root``) when ``project`` is given.
    """
    paths, _ = _rebased(findings, project)
    lines = []
    for finding, path in zip(findings, paths, strict=True):
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", path),
                ("line", finding.span.line),
                ("col", finding.span.col),
                ("title", f"fabula {finding.code}"),
            )
        )
        lines.append(f"::{finding.severity} {properties}::{_escape_data(f'{finding.code} {finding.message}')}\n")
    return "".join(lines)


def format_sarif(findings: Sequence[Diagnostic], project: Path | None = None) -> str:
    """One SARIF 2.1.0 run, as GitHub code scanning takes it (upload-sarif).

    Paths are relative to ``%SRCROOT%``: the repository root (``repository_root``) when
    ``project`` is given, which the run's ``originalUriBaseIds`` names for local SARIF viewers
    (code scanning puts its own checkout there); otherwise the paths as the findings hold them.
    The rules carry their documentation, so code scanning shows what each code means.
    """
    from toolkit.checks.rules import RULES

    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.doc()},
            "help": {"text": rule.doc()},
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES.values()
    ]
    paths, root = _rebased(findings, project)
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": codes.index(finding.code),
            "level": finding.severity,
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": urllib.parse.quote(path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": finding.span.line, "startColumn": finding.span.col},
                    }
                }
            ],
            # Stable across edits that move the line: code, file and message.
            "partialFingerprints": {"fabulaFinding/v1": f"{finding.code}:{path}:{finding.message}"},
        }
        for finding, path in zip(findings, paths, strict=True)
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fabula",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                **({"originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}}} if root else {}),
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_RANK = {"warning": 1, "error": 2, "never": 3}


def fails(findings: Sequence[Diagnostic], fail_on: str) -> bool:
    """Whether a finding is at or over the ``--fail-on`` severity ("never": none is)."""
    return any(_RANK[finding.severity] >= _RANK[fail_on] for finding in findings)


# Each takes the findings and the project folder (None: paths relative to the project, as held).
FORMATTERS: dict[str, Callable[[Sequence[Diagnostic], Path | None], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def explain(code: str) -> str:
    """``fabula check --explain CODE``: the rule's documentation, from its docstring."""
    from toolkit.checks.rules import RULES
    from toolkit.errors import FabulaError

    rule = RULES.get(code.strip().upper())
    if rule is None:
        raise FabulaError(f"no rule {code!r} (rules: {', '.join(RULES)})")
    return f"{rule.code} ({rule.name}, {rule.severity} by default)\n\n{rule.doc()}\n"
