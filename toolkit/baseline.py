"""A baseline file: today's findings recorded, so that only new ones are reported from now on.

For a long manuscript that adopts ``fabula check`` midway. A finding is known by its file,
code and message, not its line: writing a paragraph above an old finding moves it without
making it new. Each recorded finding excuses one finding (two identical ones need two).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from toolkit.diagnostics import Diagnostic
from toolkit.errors import FabulaError

VERSION = 1


def _key(finding: Diagnostic) -> tuple[str, str, str]:
    return (finding.span.path, finding.code, finding.message)


def write_baseline(path: Path, findings: Sequence[Diagnostic]) -> None:
    """Record ``findings`` in ``path`` (sorted, so that the file diffs well under version control)."""
    records = [{"path": p, "code": c, "message": m} for p, c, m in sorted(_key(f) for f in findings)]
    text = json.dumps({"fabula_baseline": VERSION, "findings": records}, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise FabulaError(f"cannot write the baseline: {error.strerror}", path=str(path)) from None


def read_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FabulaError(f"cannot read the baseline: {error.strerror}", path=str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FabulaError(f"not a fabula baseline (invalid JSON: {error})", path=str(path)) from None
    records = data.get("findings") if isinstance(data, dict) and data.get("fabula_baseline") == VERSION else None
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("path", "code", "message")) for r in records
    ):
        raise FabulaError("not a fabula baseline (expected 'fabula_baseline': 1 and a 'findings' list)", path=str(path))
    return Counter((r["path"], r["code"], r["message"]) for r in records)


def new_findings(findings: Sequence[Diagnostic], baseline: Counter[tuple[str, str, str]]) -> list[Diagnostic]:
    """The findings the baseline does not excuse, in their order."""
    left = Counter(baseline)
    fresh = []
    for finding in findings:
        key = _key(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            fresh.append(finding)
    return fresh


def apply_baseline(path: Path, findings: Sequence[Diagnostic], update: bool) -> tuple[list[Diagnostic], int | None]:
    """``--baseline FILE``: the findings left to report, and how many were recorded if any were.

    A missing FILE, or ``update``, records today's findings and reports none; an existing one
    excuses the findings it holds.
    """
    if update or not path.exists():
        write_baseline(path, findings)
        return [], len(findings)
    return new_findings(findings, read_baseline(path)), None
