"""Typst's compiler in a process of its own: ``main([ROOT, EPOCH])``, run by book_pdf.compile_typst.

Typst source comes in on standard input and the PDF goes out on standard output; a Typst error
is one line on standard error and exit status 3. book_pdf.compile_typst runs this with a time
limit (toolkit/children.py): the compiler is native code that no signal can interrupt inside
fabula's own process, and its threads would outlive the build there (a forked worker then
waits for them forever: toolkit/parallel.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

TYPST_ERROR = 3


def main(argv: list[str]) -> int:
    import typst

    root, epoch = argv[0] or None, int(argv[1])
    # typst's stubs tie ``root`` to the input's type (a path, or bytes of source): ours are
    # source bytes and a folder path, which the library accepts.
    compile_source: Callable[..., bytes | None] = typst.compile
    try:
        pdf = compile_source(
            sys.stdin.buffer.read(), root=root, ignore_system_fonts=True, timestamp=epoch, format="pdf"
        )
    except typst.TypstError as error:
        sys.stderr.write(" ".join(str(error.message).split()) + "\n")
        return TYPST_ERROR
    assert isinstance(pdf, bytes)
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
