"""Write toolkit/templates/compiled/: the templates that travel compiled, as the Jinja2 installed
compiles them (see toolkit/render/templates.py). Run it after editing one of them or changing
Jinja2's version; tests/render/test_templates.py says when it is due.

    python packaging/compile_templates.py
"""

import importlib

from toolkit.render.templates import COMPILED_BY, write_compiled

if __name__ == "__main__":
    for name in COMPILED_BY:
        renderer = importlib.import_module(name)
        for path in write_compiled(renderer.environment(), renderer.COMPILED_TEMPLATES, renderer.ESCAPE):
            print(f"wrote {path}")
