"""What the two distributions hold: fabula, and fabula-check, the light one without the writers.

fabula-check (packaging/fabula-check/) installs this same package without the libraries that
only the writers and ``fabula watch`` import. A command that reaches one of them there gets a
one-line error that says which install it needs, not a traceback.
"""

from __future__ import annotations

# Top-level module -> the library, as a writer would know it. Only builds and `fabula watch`
# import these (each inside the function that needs it), so `fabula check`, `outline`, `stats`
# and `new` run without them.
BUILD_ONLY = {
    "pypandoc": "pandoc (pypandoc-binary)",
    "reportlab": "ReportLab",
    "typst": "Typst",
    "docx": "python-docx",
    "pikepdf": "pikepdf",
    "watchfiles": "watchfiles",
}


def missing_build_library(error: ModuleNotFoundError) -> str | None:
    """The message for a library of the full install that is not there; None for any other."""
    library = BUILD_ONLY.get((error.name or "").split(".")[0])
    if library is None:
        return None
    return (
        f"this command needs {library}, which is not installed: fabula-check, the light install, "
        "runs check, outline, stats and new; install fabula for builds and watch"
    )
