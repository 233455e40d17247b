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
    assert {"jupyterlab", "papermill", "pandas", "matplotlib", "openpyxl", "voila"} <= names
    assert "nbval" in {_name(d) for d in project["optional-dependencies"]["test"]}  # CI's notebook regression


# Declared but imported nowhere in the package, each for a reason a reader can check.
TOOLS = {
    "jupyterlab": "the authors' workbench, started by `make lab`",
    "ipykernel": "the Python kernel papermill and Voila start (kernel name python3)",
}


def _imported_distributions() -> set[str]:
    import ast
    import sys
    from importlib.metadata import packages_distributions

    distributions = packages_distributions()
    found: set[str] = set()
    for path in (ROOT / "jcmwb").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "jcmwb":
                    found |= {_name(d) for d in distributions.get(top, [top])}
    return found


def test_every_import_is_declared_and_every_declaration_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(d) for d in project["dependencies"]}
    optional = {_name(d) for group in project["optional-dependencies"].values() for d in group}
    imported = _imported_distributions()
    assert imported - declared - optional == set(), "imported by jcmwb but not declared in pyproject.toml"
    assert declared - imported - set(TOOLS) == set(), "declared in pyproject.toml but imported nowhere in jcmwb/"
