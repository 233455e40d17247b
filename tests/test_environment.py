"""environment.yml (for conda users) must list exactly pyproject.toml's dependencies."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_equals_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed: dict[str, str] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):  # the pip: section
            for sub in item.get("pip", []):
                if sub.startswith("-"):  # "-e ." installs jcmwb itself
                    continue
                listed[_name(sub)] = sub.replace(" ", "")
        elif not item.startswith("python") and not item.startswith("pip"):
            listed[_name(item)] = item.replace(" ", "")
    assert set(listed) == set(wanted), f"only in environment.yml: {set(listed) - set(wanted)}; only in pyproject: {set(wanted) - set(listed)}"
    # Same version bounds, too (conda spells == as =, so compare the bounds loosely).
    for name, spec in wanted.items():
        assert listed[name].replace("==", "=") == spec.replace("==", "="), name


def test_client_dependencies_present():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(d) for d in project["dependencies"]}
    assert {"jupyterlab", "papermill", "pandas", "scipy", "matplotlib", "nbval", "openpyxl", "voila"} <= names
