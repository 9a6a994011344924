"""fabula as a packager sees it: the wheel and sdist hold everything, install into a new
environment and build the sample there; fabula-check, the light install, checks without the
writers' libraries.

Offline, as every test here: the wheels are built with the setuptools of this environment
(no build isolation, no index), installed with --no-deps --no-index into a new venv that sees
this environment's libraries through a .pth file (so nothing is downloaded or copied).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import textwrap
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO
from toolkit import __version__
from toolkit.distribution import BUILD_ONLY

LIGHT = REPO / "packaging" / "fabula-check"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the venv layout below is POSIX's")


def project(path: Path) -> dict:
    return tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, check=False, cwd=cwd, env=env or os.environ
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


# ---------------------------------------------------------------- the two pyproject.toml files agree


def test_the_light_distribution_is_the_full_one_without_the_writers() -> None:
    full, light = project(REPO), project(LIGHT)
    full_deps = full["project"]["dependencies"]
    light_deps = light["project"]["dependencies"]
    assert full_deps[: len(light_deps)] == light_deps, "fabula-check's list must be the first part of fabula's"
    writers = {canonicalize_name(Requirement(line).name) for line in full_deps[len(light_deps) :]}
    assert writers == {"pypandoc-binary", "reportlab", "typst", "pikepdf", "python-docx", "watchfiles"}
    # ...which are exactly the libraries toolkit/distribution.py names, by the modules they install.
    owners = metadata.packages_distributions()
    assert {canonicalize_name(owners[module][0]) for module in BUILD_ONLY} == writers
    for key in ("requires-python", "license", "scripts"):
        assert light["project"].get(key) == full["project"].get(key), key
    assert light["tool"]["setuptools"]["packages"] == full["tool"]["setuptools"]["packages"]
    assert light["tool"]["setuptools"]["package-data"] == full["tool"]["setuptools"]["package-data"]
    assert light["build-system"] == full["build-system"]
    assert (LIGHT / "LICENSE").read_bytes() == (REPO / "LICENSE").read_bytes()


def test_the_build_floor_is_the_first_setuptools_with_spdx_licences() -> None:
    """``license = "MIT"`` (an SPDX expression) and ``license-files`` need setuptools 77 (PEP 639)."""
    requires = project(REPO)["build-system"]["requires"]
    assert requires == ["setuptools>=77"]
    assert Version(metadata.version("setuptools")) >= Version("77"), (
        "the wheel tests build without isolation: install the [test] extra, which asks for setuptools>=77"
    )


# ---------------------------------------------------------------- building, offline


def source_tree(target: Path) -> Path:
    """What a clone holds for packaging (git ls-files would add the tests and the sample)."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    shutil.copytree(REPO / "toolkit", target / "toolkit", ignore=ignore)
    shutil.copytree(LIGHT, target / "packaging" / "fabula-check", ignore=ignore)
    return target


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheels of fabula and fabula-check and fabula's sdist, built from a copy of the tree."""
    tree = source_tree(tmp_path_factory.mktemp("tree"))
    out = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip")
    quiet = ("--no-deps", "--no-build-isolation", "--no-index", "--disable-pip-version-check", "-q")
    run(*pip, "wheel", *quiet, "-w", out, tree, tree / "packaging" / "fabula-check")
    sdist = textwrap.dedent(
        f"""
        from setuptools import build_meta
        print(build_meta.build_sdist({str(out)!r}))
        """
    )
    run(sys.executable, "-c", sdist, cwd=tree)
    return out


def wheel_names(dist: Path, name: str) -> list[str]:
    (wheel,) = dist.glob(f"{name}-{__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def package_files() -> set[str]:
    """Every file of toolkit/ in the repository, as a wheel names it."""
    return {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "toolkit").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.parametrize("name", ["fabula", "fabula_check"])
def test_the_wheel_holds_the_package_its_data_and_the_licences(dist: Path, name: str) -> None:
    names = wheel_names(dist, name)
    assert {n for n in names if n.startswith("toolkit/")} == package_files()
    for wanted in (
        "toolkit/py.typed",
        "toolkit/templates/outline.html.j2",
        "toolkit/templates/new/fabula.toml.j2",
        "toolkit/filters/typography.lua",
        "toolkit/styles/book.css",
        "toolkit/fonts/CourierPrime-Regular.ttf",
        "toolkit/fonts/LICENSE-CourierPrime.txt",
        "toolkit/fonts/DejaVuSansMono.ttf",
        "toolkit/fonts/LICENSE-DejaVu.txt",
        f"{name}-{__version__}.dist-info/licenses/LICENSE",
    ):
        assert wanted in names, wanted
    if name == "fabula":  # the font licences in the metadata too (license-files)
        assert f"fabula-{__version__}.dist-info/licenses/toolkit/fonts/LICENSE-CourierPrime.txt" in names
    with zipfile.ZipFile(next(dist.glob(f"{name}-*.whl"))) as archive:
        meta = archive.read(f"{name}-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in meta
    assert "screenplain[" not in meta.lower() and "Requires-Dist: msgpack>=1.0" in meta


def test_the_sdist_holds_the_sources_and_every_licence(dist: Path) -> None:
    (sdist,) = dist.glob("fabula-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "pyproject.toml"} <= names
    assert package_files() <= names


# ---------------------------------------------------------------- installed into a new environment


def new_venv(folder: Path, wheel: Path, blocked: tuple[str, ...] = ()) -> Path:
    """A venv holding ``wheel``, seeing this environment's libraries (a .pth file lists their
    folders), with ``blocked`` modules made unimportable, as if they were not installed."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site / "_fabula_test_libraries.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    if blocked:
        blocker = textwrap.dedent(
            f"""
            import sys
            class _Absent:
                @staticmethod
                def find_spec(name, path=None, target=None):
                    if name.split(".")[0] in {blocked!r}:
                        raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                    return None
            sys.meta_path.insert(0, _Absent)
            """
        )
        (site / "_fabula_absent.py").write_text(blocker, encoding="utf-8")
        (site / "_fabula_absent.pth").write_text("import _fabula_absent\n", encoding="utf-8")
    quiet = ("--no-deps", "--no-index", "--disable-pip-version-check", "-q")
    run(sys.executable, "-m", "pip", "--python", python, "install", *quiet, wheel)
    # The fabula that runs there is the wheel's, not this checkout's.
    where = run(python, "-c", "import toolkit; print(toolkit.__file__)", cwd=folder).stdout
    assert Path(where.strip()).is_relative_to(site), where
    return folder / "bin" / "fabula"


def fabula_env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONDONTWRITEBYTECODE": "1"}


def test_the_wheel_installed_builds_the_sample(dist: Path, sample_project: Path, tmp_path: Path) -> None:
    fabula = new_venv(tmp_path / "venv", next(dist.glob("fabula-*.whl")))
    result = run(fabula, "build", "--no-cache", cwd=sample_project, env=fabula_env())
    written = {line.split("/")[-1] for line in result.stdout.splitlines() if line.startswith("wrote ")}
    assert written == {
        *("screenplay.pdf", "screenplay.fdx", "screenplay.html", "book.epub", "book.pdf", "manuscript.docx"),
        *("outline.md", "outline.html", "outline.json", "report.html"),
    }
    assert result.stdout.splitlines()[-1].startswith("The Winter Crossing: 6 chapters")
    # Courier Prime from the wheel's toolkit/fonts/: the same bytes as this checkout draws.
    from toolkit import pipeline

    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        pipeline.build(sample_project, tmp_path / "here", ("screenplay",), use_cache=False)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    built = sample_project / "output" / "screenplay.pdf"
    assert built.read_bytes() == (tmp_path / "here" / "screenplay.pdf").read_bytes()
    assert b"CourierPrime" in built.read_bytes()


def test_fabula_check_runs_without_pandoc_typst_or_reportlab(dist: Path, sample_project: Path, tmp_path: Path) -> None:
    """The light wheel, in an environment where the writers' libraries cannot be imported."""
    fabula = new_venv(tmp_path / "venv", next(dist.glob("fabula_check-*.whl")), blocked=tuple(BUILD_ONLY))
    env = fabula_env()
    assert run(fabula, "--version", env=env).stdout == f"fabula {__version__}\n"
    assert run(fabula, "check", cwd=sample_project, env=env).stdout == ""
    story = shutil.copytree(REPO / "tests" / "fixtures" / "continuity", tmp_path / "story")
    github = subprocess.run([fabula, "check", "--format", "github"], capture_output=True, text=True, cwd=story, env=env)
    assert github.returncode == 1 and github.stderr == ""
    assert github.stdout.startswith("::") and "::error file=manuscript/" in github.stdout
    assert run(fabula, "outline", cwd=sample_project, env=env).stdout.startswith("# ")
    assert '"screenplay"' in run(fabula, "stats", "--format", "json", cwd=sample_project, env=env).stdout
    run(fabula, "new", tmp_path / "novel", env=env)
    assert run(fabula, "check", tmp_path / "novel", env=env).returncode == 0
    # Building is for the full install: one line that says so, and nothing left behind.
    build = subprocess.run([fabula, "build"], capture_output=True, text=True, cwd=sample_project, env=env)
    assert build.returncode == 2, build.stderr
    errors = build.stderr.splitlines()
    assert errors[-1].startswith("fabula: error: this command needs ") and "install fabula for builds" in errors[-1]
    assert "Traceback" not in build.stderr
    output = sample_project / "output"
    assert not output.exists() or {path.name for path in output.iterdir()} <= {".cache"}
