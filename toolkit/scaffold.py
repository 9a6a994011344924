"""Creates a new, working project folder from the templates in toolkit/templates/new/."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import FabulaError

# template name -> path in the new project
FILES = {
    "fabula.toml.j2": "fabula.toml",
    "characters.yaml.j2": "characters.yaml",
    "chapter.md.j2": "manuscript/1-first-chapter.md",
    "scene.fountain.j2": "screenplay/1-opening.fountain",
    "gitignore.j2": ".gitignore",
}


def create_project(path: Path) -> list[Path]:
    """Write a small project at ``path`` (which must be missing or empty); return the files written."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FabulaError("already exists and is not an empty folder; choose a new path", path=str(path))
    environment = Environment(
        loader=PackageLoader("toolkit", "templates/new"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    title = path.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "Untitled"
    written = []
    for template, relative in FILES.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = environment.get_template(template).render(title=title.replace('"', "'"))
        target.write_text(text, encoding="utf-8", newline="\n")
        written.append(target)
    (path / "output").mkdir(exist_ok=True)
    return written
