"""The published JSON Schemas (schemas/) agree with what fabula itself accepts in fabula.toml and characters.yaml.

Editors validate and complete these files through the schemas (taplo for TOML, the YAML
language server for YAML), so a schema that rejects what fabula accepts, or lets a typo
through that fabula refuses, would mislead the writer. Every file fabula ships or documents
is checked against them, and a table of small cases is checked against both.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from tests.conftest import FIXTURES, REPO
from toolkit import config as config_module
from toolkit.errors import FabulaError
from toolkit.parsers import bible

SCHEMAS = REPO / "schemas"


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


TOML = validator("fabula.schema.json")
YAML = validator("characters.schema.json")


def as_json(value: Any) -> Any:
    """What an editor validates: TOML and YAML dates are strings to a JSON Schema (taplo, YAML 1.2)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    return value


def toml_errors(text: str) -> list[str]:
    return [error.message for error in TOML.iter_errors(as_json(tomllib.loads(text)))]


def yaml_errors(text: str) -> list[str]:
    return [error.message for error in YAML.iter_errors(as_json(yaml.safe_load(text)))]


def fabula_accepts_toml(text: str) -> bool:
    try:
        config_module.parse_config(text)
    except FabulaError:
        return False
    return True


def fabula_accepts_yaml(text: str) -> bool:
    try:
        bible.parse_bible("characters.yaml", text)
    except FabulaError:
        return False
    return True


# ---------------------------------------------------------------- every file we ship or document


def shipped(name: str) -> list[Path]:
    return sorted([REPO / name, *FIXTURES.rglob(name)])


@pytest.mark.parametrize("path", shipped("fabula.toml"), ids=lambda path: str(path.relative_to(REPO)))
def test_every_fabula_toml_we_ship_is_valid(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert fabula_accepts_toml(text)
    assert toml_errors(text) == []


@pytest.mark.parametrize("path", shipped("characters.yaml"), ids=lambda path: str(path.relative_to(REPO)))
def test_every_characters_yaml_we_ship_is_valid(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert fabula_accepts_yaml(text)
    assert yaml_errors(text) == []


def uncommented(text: str) -> str:
    """Each documented ``# key = value`` line, switched on."""
    return re.sub(r"(?m)^# ?([a-z_]+ = )", r"\1", text)


def readme_blocks(language: str) -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", readme, re.S)


def test_every_key_the_readme_documents_is_valid() -> None:
    # Other tools' TOML aside: pyproject's [tool.*], Helix's languages.toml ([language-server.*]).
    others = ("[tool", "[language-server")
    tomls = [block for block in readme_blocks("toml") if not block.lstrip().startswith(others)]
    assert len(tomls) >= 2
    documented = "\n".join(uncommented(block) for block in tomls)
    keys = set(re.findall(r"(?m)^([a-z_]+) = ", documented)) | set(re.findall(r"(?m)^\[\w+\.(\w+)\]", documented))
    every_key = {key for table in config_module.SCHEMA.values() for key in table}
    assert keys >= every_key, f"keys the README does not document: {every_key - keys}"
    for block in tomls:
        text = uncommented(block)
        assert fabula_accepts_toml(text), text
        assert toml_errors(text) == [], text
    yamls = [block for block in readme_blocks("yaml") if block.lstrip().startswith("characters:")]
    assert yamls
    for block in yamls:
        assert fabula_accepts_yaml(block) and yaml_errors(block) == [], block


def test_a_new_project_is_valid(tmp_path: Path) -> None:
    """``fabula new`` writes both files, with every commented key switched on too."""
    from toolkit.scaffold import create_project

    create_project(tmp_path / "novel")
    toml = (tmp_path / "novel" / "fabula.toml").read_text(encoding="utf-8")
    for text in (toml, uncommented(toml)):
        assert fabula_accepts_toml(text) and toml_errors(text) == [], text
    bible_text = (tmp_path / "novel" / "characters.yaml").read_text(encoding="utf-8")
    assert fabula_accepts_yaml(bible_text) and yaml_errors(bible_text) == []


# ---------------------------------------------------------------- the schemas know what fabula knows


def test_the_toml_schema_has_fabulas_tables_and_keys() -> None:
    properties = TOML.schema["properties"]
    assert set(properties) == set(config_module.SCHEMA[""]) | {table for table in config_module.SCHEMA if table}
    for table, keys in config_module.SCHEMA.items():
        if table:
            assert set(properties[table]["properties"]) == set(keys), table
            assert properties[table]["additionalProperties"] is False
    assert TOML.schema["additionalProperties"] is False
    # Enumerations are fabula's own.
    assert properties["screenplay"]["properties"]["paper"]["enum"] == list(config_module.PAPERS)
    assert properties["book"]["properties"]["trim"]["enum"] == list(config_module.TRIMS)
    assert properties["book"]["properties"]["manuscript_font"]["enum"] == list(config_module.MANUSCRIPT_FONTS)
    assert properties["book"]["properties"]["dash"]["enum"] == list(config_module.DASHES)
    assert properties["book"]["properties"]["font_size"]["enum"] == list(config_module.FONT_SIZES)
    assert properties["check"]["properties"]["fail_on"]["enum"] == list(config_module.FAIL_ON)


def test_the_yaml_schema_has_the_bibles_keys() -> None:
    character = YAML.schema["definitions"]["character"]["oneOf"][1]
    assert set(character["properties"]) == set(bible.KEYS)
    assert character["required"] == ["name"] and character["additionalProperties"] is False


def candidate_codes() -> list[str]:
    from toolkit.checks.rules import RULES

    families = sorted({code[0] for code in RULES})  # D, E, N today: every rule's family
    letters = "".join(families) + "ACSZ"  # and letters no rule starts with
    return sorted(
        {letter + digits for letter in letters for digits in ("", "1", "10", "11", "2", "20", "100")}
        | {f"{letter}{n}" for letter in families for n in range(100, 112)}
        | {"n101", " D102 ", "d", "e101", "N1000", "", "101"}
    )


@pytest.mark.parametrize("code", candidate_codes())
def test_a_rule_code_is_valid_in_the_schema_exactly_when_fabula_takes_it(code: str) -> None:
    text = f'[check]\nignore = ["{code}"]\n[check.severity]\n"{code}" = "error"\n'
    assert (toml_errors(text) == []) == fabula_accepts_toml(text), code


# Small fabula.toml files: (text, fabula and the schema both accept it).
TOML_CASES = [
    ('title = "Night Ferry"\nlanguage = "fr-CA"', True),
    ('language = "English"', False),
    ('title = ""', False),
    ('titel = "Night Ferry"', False),
    ("[calendar]\nday_one = 2023-03-06\nyear = 2023", True),
    ('[calendar]\nday_one = "2023-03-06"', True),
    ('[calendar]\nday_one = "next Tuesday"', False),
    ("[calendar]\nyear = 0", False),
    ("[calendar]\nday_on = 2023-03-06", False),
    ('[screenplay]\npaper = "a4"\nscene_numbers = true\nstamp_pages = "3-7"', True),
    ("[screenplay]\nstamp_pages = 4", True),
    ('[screenplay]\npaper = "legal"', False),
    ('[screenplay]\ncontd = "no"', False),
    ('[screenplay]\nstamp_pages = "3 to 7"', False),
    ('[book]\ntrim = "6x9"\ncontact = ["A. Writer", "a@example.org"]\nisbn = "978-0-306-40615-7"', True),
    ('[book]\ncontact = "A. Writer\\na@example.org"', True),
    ("[book]\ncontact = []", False),
    ('[book]\ntrim = "A5"', False),
    ('[book]\nmanuscript_font = "arial"', False),
    ('[book]\nisbn = "not an isbn"', False),
    ('[book]\ndash = "spaced-en"\nfont_size = 11\nsmall_caps_headings = true\npublished = 2024-03-01', True),
    ("[book]\npublished = 2024\ncopyright_year = 2023", True),
    ('[book]\npublished = "2024"\npublisher = "Skerrow Press"\nedition = "First edition"', True),
    ('[book]\ncopyright_holder = "A. Writer"\nrights = "CC BY 4.0"\nprinter = "Printed by X"', True),
    ('[book]\ndash = "en"', False),
    ("[book]\nfont_size = 13", False),
    ('[book]\nfont_size = "11"', False),
    ('[book]\npublished = "next spring"', False),
    ('[book]\nrights = ""', False),
    ('[check]\nselect = ["D", "N101"]\nfail_on = "error"\nnames_ok = ["Mags"]\nout_of_span_days = 30', True),
    ('[check]\nfail_on = "always"', False),
    ("[check]\nout_of_span_days = 0", False),
    ('[check]\nignore = "N105"', False),
    ('[check.severity]\nN105 = "info"', False),
    ('[output]\nfolder = "out"', False),
]


@pytest.mark.parametrize(("text", "valid"), TOML_CASES)
def test_fabula_toml_cases(text: str, valid: bool) -> None:
    assert fabula_accepts_toml(text) is valid
    assert (toml_errors(text) == []) is valid, toml_errors(text)


# What only fabula can judge: the schema passes these, fabula names the problem.
ONLY_FABULA_REJECTS = [
    '[book]\nisbn = "978-0-306-40615-8"',  # the check digit
    '[screenplay]\nstamp_pages = "7-3"',  # a range that runs backwards
]


@pytest.mark.parametrize("text", ONLY_FABULA_REJECTS)
def test_what_only_fabula_checks(text: str) -> None:
    assert toml_errors(text) == [] and not fabula_accepts_toml(text)


YAML_CASES = [
    ("characters:\n  - name: Margot Lane\n    aliases: [Mags]\n    cue: MARGOT\n    exits: DAY 9\n", True),
    ("characters:\n  - name: Ada\n    exits: 2024-01-04\n    distinct: Addy\n    note: {any: thing}\n", True),
    ("- Margot Lane\n- name: Tobias Wren\n", True),
    ("characters: []\n", True),
    ("characters:\n", False),
    ("", True),
    ("characters:\n  - name: Ada\n    alias: [Addie]\n", False),
    ("characters:\n  - aliases: [Addie]\n", False),
    ("people:\n  - name: Ada\n", False),
    ("characters:\n  - name: Ada\n    aliases: {first: Addie}\n", False),
    ("characters: Ada\n", False),
]


@pytest.mark.parametrize(("text", "valid"), YAML_CASES)
def test_characters_yaml_cases(text: str, valid: bool) -> None:
    assert fabula_accepts_yaml(text) is valid
    assert (yaml_errors(text) == []) is valid, yaml_errors(text)


# ---------------------------------------------------------------- wired for editors in this repository


def test_taplo_and_the_yaml_language_server_are_pointed_at_the_schemas() -> None:
    taplo = tomllib.loads((REPO / ".taplo.toml").read_text(encoding="utf-8"))
    rules = {tuple(rule["include"]): rule["schema"]["path"] for rule in taplo["rule"]}
    assert rules[("fabula.toml", "**/fabula.toml")] == "./schemas/fabula.schema.json"
    vscode = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert vscode["yaml.schemas"] == {"./schemas/characters.schema.json": ["characters.yaml", "**/characters.yaml"]}
    for path in ("schemas/fabula.schema.json", "schemas/characters.schema.json"):
        assert (REPO / path).is_file()
