"""`fabula check` through the CLI: formats (SARIF against its schema), rule choice, exits, baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.checks.rules import RULES
from toolkit.cli import app

runner = CliRunner()
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "continuity"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-2.1.0-rtm.5.json"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    target = tmp_path / "story"
    shutil.copytree(FIXTURE, target)
    return target


def _expected() -> list[dict]:
    return json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_2_1_0_and_holds_every_finding(story: Path) -> None:
    from jsonschema import Draft4Validator

    result = run("check", str(story), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, [error.message for error in errors[:5]]
    run_ = log["runs"][0]
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == list(RULES)
    located = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in run_["results"]
    ]
    assert located == [(e["path"], e["line"], e["code"]) for e in sorted(_expected(), key=_place)]
    assert {r["level"] for r in run_["results"]} == {"error", "warning"}


def _place(record: dict) -> tuple:
    return (record["path"], record["line"], record["col"], record["code"])


def test_an_empty_sarif_log_is_valid_too(tmp_path: Path) -> None:
    from jsonschema import Draft4Validator

    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "1.md").write_text("# DAY 1\n\nQuiet.\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_format_is_one_workflow_annotation_a_finding(story: Path) -> None:
    lines = run("check", str(story), "--format", "github").stdout.splitlines()
    assert len(lines) == len(_expected())
    first = next(line for line in lines if "D102" in line)
    assert first.startswith("::error file=manuscript/03-chapter.md,line=19,col=2,title=fabula D102::D102 ")
    drift = next(line for line in lines if "N105" in line)
    assert drift.startswith("::warning file=screenplay/02-scenes.fountain,line=19,col=1,")
    assert all("\n" not in line and line.startswith("::") for line in lines)


def test_select_ignore_and_fail_on(story: Path) -> None:
    names = run("check", str(story), "--select", "N", "--format", "json")
    assert {r["code"] for r in json.loads(names.stdout)} == {"N101", "N102", "N103", "N104", "N105"}
    two = run("check", str(story), "--select", "D101,D105", "--format", "json")
    assert {r["code"] for r in json.loads(two.stdout)} == {"D101", "D105"}
    ignored = run("check", str(story), "--ignore", "D", "--ignore", "N101,N103,N104", "--format", "json")
    warnings = json.loads(ignored.stdout)
    assert {(r["code"], r["severity"]) for r in warnings} == {
        ("N102", "warning"),
        ("N105", "warning"),
        ("E101", "warning"),
    }
    assert ignored.exit_code == 1  # --fail-on warning by default
    assert run("check", str(story), "--ignore", "D,N101,N103,N104", "--fail-on", "error").exit_code == 0
    assert run("check", str(story), "--fail-on", "never").exit_code == 0


def test_unknown_rule_code_is_a_usage_error(story: Path) -> None:
    result = run("check", str(story), "--select", "N110")
    assert result.exit_code == 2 and "no rule is N110" in result.output


def test_check_table_in_fabula_toml(story: Path) -> None:
    config = story / "fabula.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[check]\nignore = ["D"]\nnames_ok = ["Ferryman"]\nfail_on = "error"\n\n'
        + '[check.severity]\nN104 = "error"\nN1 = "warning"\n',
        encoding="utf-8",
    )
    records = json.loads(run("check", str(story), "--format", "json").stdout)
    assert not any(r["code"].startswith("D") or r["code"] == "N102" for r in records)
    assert {r["code"]: r["severity"] for r in records} == {
        "N101": "warning",
        "N103": "warning",
        "N104": "error",
        "N105": "warning",
        "E101": "warning",
    }
    assert run("check", str(story)).exit_code == 1  # the N104 error
    config.write_text(config.read_text(encoding="utf-8").replace('N104 = "error"', ""), encoding="utf-8")
    assert run("check", str(story)).exit_code == 0  # only warnings under fail_on = "error"


def test_bad_check_table_names_key_and_line(story: Path) -> None:
    (story / "fabula.toml").write_text('[check]\nfail_on = "sometimes"\n', encoding="utf-8")
    result = run("check", str(story))
    assert result.exit_code == 2 and "fabula.toml:2: check.fail_on must be one of" in result.output
    (story / "fabula.toml").write_text('title = "x"\n\n[check.severity]\nN105 = "loud"\n', encoding="utf-8")
    result = run("check", str(story))
    assert result.exit_code == 2 and "fabula.toml:3: check.severity.N105 must be 'error' or 'warning'" in result.output


def test_explain_prints_each_rule_from_its_docstring() -> None:
    for code, rule in RULES.items():
        result = run("check", "--explain", code.lower())
        assert result.exit_code == 0
        assert result.stdout.startswith(f"{code} ({rule.name}, {rule.severity} by default)")
        assert rule.doc() in result.stdout and len(rule.doc().splitlines()) >= 3
    assert run("check", "--explain", "X999").exit_code == 2


def test_baseline_records_today_then_reports_only_new_findings(story: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    first = run("check", str(story), "--baseline", str(baseline))
    assert first.exit_code == 0 and "recorded 16 finding(s)" in first.output
    assert len(json.loads(baseline.read_text(encoding="utf-8"))["findings"]) == 16
    assert run("check", str(story), "--baseline", str(baseline)).stdout == ""
    # Lines added above old findings move them, but do not make them new.
    chapter = story / "manuscript" / "02-chapter.md"
    chapter.write_text("\n\n" + chapter.read_text(encoding="utf-8") + "\nThen Katherine went.\n", encoding="utf-8")
    result = run("check", str(story), "--baseline", str(baseline))
    assert result.exit_code == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [
        [f"manuscript/02-chapter.md:{len(chapter.read_text().splitlines())}:6:", "N101"]
    ]
    assert run("check", str(story), "--baseline", str(baseline), "--update-baseline").exit_code == 0
    assert run("check", str(story), "--baseline", str(baseline)).exit_code == 0


def test_update_baseline_alone_is_a_usage_error(story: Path) -> None:
    result = run("check", str(story), "--update-baseline")
    assert result.exit_code == 2 and "--update-baseline needs --baseline FILE" in result.output


def test_a_broken_baseline_is_a_usage_error(story: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[1, 2]", encoding="utf-8")
    result = run("check", str(story), "--baseline", str(baseline))
    assert result.exit_code == 2 and "not a fabula baseline" in result.output


def test_suppression_comments_only_cover_their_codes_and_their_paragraph(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    name = "Then Hemingway came in."
    text = (
        "# One\n\n"
        + "\n\n".join([name] * 15)
        + (
            "\n\n<!-- fabula: ignore N101 -->\n\nThen Hemmingway came.\n\nThen Hemmingway left.\n\n"
            "<!-- fabula: ignore D102 -->\nThen Hemmingway sat.\n\n<!-- fabula: ignore -->\n\nThen Hemmingway slept.\n"
        )
    )
    (tmp_path / "manuscript" / "1.md").write_text(text, encoding="utf-8")
    lines = run("check", str(tmp_path)).stdout.splitlines()
    # Ignored: the paragraph after the N101 comment and after the bare one. Reported: the
    # paragraph after that, and the one whose comment names another code.
    assert [line.split(" ")[0] for line in lines] == ["manuscript/1.md:37:6:", "manuscript/1.md:40:6:"]


def test_a_comment_before_a_chapter_heading_covers_the_heading(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "1.md").write_text(
        "<!-- fabula: ignore D102 -->\n\n# Saturday, 5 March 2023\n\nRain.\n\n"
        "<!-- fabula: ignore D102 -->\n\n# Saturday, 6 March 2023\n\nSun.\n\n# Saturday, 7 March 2023\n\nFog.\n",
        encoding="utf-8",
    )
    lines = run("check", str(tmp_path)).stdout.splitlines()
    assert [line.split(" ")[:2] for line in lines] == [["manuscript/1.md:13:3:", "D102"]]


def test_fountain_ignore_note_covers_the_next_element_only(tmp_path: Path) -> None:
    (tmp_path / "screenplay").mkdir()
    script = "INT. ROOM - DAY\n\n" + "OKONKWO\nYes.\n\n" * 10
    script += "[[fabula: ignore N101]]\nOKONKOW\nNo.\n\nOKONKOW\nNo.\n"
    (tmp_path / "screenplay" / "1.fountain").write_text(script, encoding="utf-8")
    lines = run("check", str(tmp_path)).stdout.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["screenplay/1.fountain:37:1:"]


def test_build_prints_findings_and_strict_fails(story: Path) -> None:
    result = run("build", str(story), "--only", "outline")
    assert result.exit_code == 0 and "N105" in result.output
    assert run("build", str(story), "--only", "outline", "--strict").exit_code == 1


def test_check_keeps_a_cache_unless_told_not_to(story: Path) -> None:
    assert run("check", str(story), "--no-cache").exit_code == 1
    assert not (story / "output").exists()
    first = run("check", str(story))
    assert (story / "output" / ".cache").is_dir()
    assert run("check", str(story)).stdout == first.stdout == run("check", str(story), "--no-cache").stdout


def test_build_strict_fails_at_the_fail_on_threshold(story: Path) -> None:
    """--strict fails where `fabula check` would: at or over [check] fail_on."""
    config = story / "fabula.toml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    assert "[check]" not in text
    config.write_text(text + '\n[check]\nfail_on = "never"\n', encoding="utf-8")
    assert run("build", str(story), "--only", "outline", "--strict").exit_code == 0
    config.write_text(text + '\n[check]\nfail_on = "error"\nselect = ["N105"]\n', encoding="utf-8")
    result = run("build", str(story), "--only", "outline", "--strict")
    assert result.exit_code == 0 and "N105" in result.output  # N105 is a warning: printed, not failing
    config.write_text(text + '\n[check]\nfail_on = "error"\nselect = ["N105", "D102"]\n', encoding="utf-8")
    result = run("build", str(story), "--only", "outline", "--strict")
    assert result.exit_code == 1 and "D102" in result.output


def test_pre_commit_hook_runs_the_check_command_on_story_files() -> None:
    import re
    import tomllib

    import yaml

    repo = Path(__file__).resolve().parent.parent
    (hook,) = yaml.safe_load((repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "fabula-check" and hook["language"] == "python" and hook["pass_filenames"] is False
    script, command = hook["entry"].split()
    assert script in tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert command == "check"
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("manuscript/1.md", "screenplay/2.fountain", "characters.yaml"))
    assert not files.search("output/book.epub")
