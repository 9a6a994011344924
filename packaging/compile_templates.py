"""Write toolkit/templates/compiled/: the templates that travel compiled, as the Jinja2 installed
compiles them (see toolkit/render/templates.py). Run it after editing one of them or changing
Jinja2's version; tests/render/test_templates.py says when it is due.

    python packaging/compile_templates.py
"""

from toolkit.render import screenplay_blocks
from toolkit.render.templates import write_compiled

if __name__ == "__main__":
    names = screenplay_blocks.COMPILED_TEMPLATES
    for path in write_compiled(screenplay_blocks.environment(), names, screenplay_blocks.ESCAPE):
        print(f"wrote {path}")
