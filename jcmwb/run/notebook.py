"""Methodology notebooks: generated from the spec, executed on the example input.

The skeleton (README.md, "Methodology authors"): title and what the methodology does; a
``parameters`` cell of primitives; eligibility; inputs; one section per block of the
calculation process sheet with the equations in LaTeX; the result; references.

Usage::

    python -m jcmwb.run.notebook --generate TH_AM001   # (re)write notebooks/TH_AM001.ipynb from its spec
    python -m jcmwb.run.notebook --execute             # re-execute every committed notebook on its example

A generated notebook is the author's to edit afterwards (``make lab`` opens the notebooks in
JupyterLab); ``--execute`` never regenerates.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from jcmwb.engine.atomic import write_atomically
from jcmwb.engine.errors import RunError
from jcmwb.engine.formulas import equation_latex
from jcmwb.engine.spec import BLOCK_TITLES, BLOCKS, METHODOLOGIES, ROOT, Spec, load_spec, spec_files
from jcmwb.library.paths import library_of, notebook_of, searching
from jcmwb.run.kernels import QUIET_KERNEL, manager_class

NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"


def example_file(spec_id: str, library: Path = ROOT) -> Path | None:
    """The methodology's example monitoring-period file (the first YAML in ``<library>/data/examples/<ID>``)."""
    folder = library / "data" / "examples" / spec_id
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return files[0] if files else None


def _md(text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip())


def _code(text: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = new_code_cell(text.strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def build(spec: Spec, example: Path | None) -> nbformat.NotebookNode:
    """A fresh notebook for ``spec`` following the fixed skeleton."""
    symbols = spec.symbols()
    version = spec.versions[-1].version
    notebooks = library_of(spec.path) / "notebooks" if spec.path else NOTEBOOKS
    rel = os.path.relpath(example, notebooks) if example else f"../data/examples/{spec.id}/PERIOD.yaml"
    cells = [
        _md(
            f"""
# JCM_{spec.id}: {spec.title}

{spec.summary or ""}

Sectoral scope {spec.sectoral_scope}; family `{spec.family}`; version(s) {", ".join(f"{v.version} (approved {v.approved})" for v in spec.versions)}.
The methodology is data: [`methodologies/{spec.id}/methodology.yaml`](../methodologies/{spec.id}/methodology.yaml).
This notebook is a thin layer over `jcmwb.calculate`; run it headlessly with
`jcmwb run FILE.yaml`, which also writes the Monitoring Report Sheet (`MRS.xlsx`) and a receipt.
"""
        ),
        _code(
            f"""
# Parameters (papermill replaces this cell). Paths are relative to this notebook's folder.
period_file = "{rel.replace(os.sep, "/")}"
output_dir = ""
""",
            ("parameters",),
        ),
        _code(
            """
import jcmwb
from jcmwb.run import show

result = jcmwb.calculate(period_file)
show.overview(result)
"""
        ),
        _md("## Eligibility\n\nThe methodology's checklist, with the answers given in the monitoring-period file."),
        _code("show.eligibility(result)"),
        _md("## Inputs\n\nMonitored values (after any conservative correction) with the rows they come from, and the values fixed ex ante with their source and status."),
        _code("show.inputs(result)"),
        _code("show.data_quality(result)"),
    ]
    for name, param in spec.parameters.items():
        if param.kind == "monitored":
            # Reported only (methodologies/README.md 2.2): shown like the others, said to enter no equation.
            why = "\n\nReported only: monitored in the official sheets and shown in Table 1, it enters no equation of the methodology; a period may leave it out." if param.reported_only else ""
            cells.append(_md(f"### Monthly ${param.symbol}$: {param.description}{why}"))
            cells.append(_code(f'show.monthly_plot(result, "{name}")'))
            cells.append(_code(f'show.monthly_table(result, "{name}")'))
    for number, block in enumerate(BLOCKS, start=1):
        lines = [f"## {number}. {BLOCK_TITLES[block]}", ""]
        for eq in (e for e in spec.equations.values() if e.block == block):
            lines.append(f"{eq.description} [{eq.unit}]:")
            lines.append("")
            if eq.alternatives:  # the monitoring-period file selects one (`alternatives:`)
                lines.append(f"one of {len(eq.alternatives)} alternatives, selected in the monitoring-period file (`alternatives: {{{eq.name}: ...}}`; default `{eq.default_alternative}`):")
                lines.append("")
                for alt in eq.alternatives.values():
                    lines.append(f"- `{alt.name}`, {alt.description}: ${equation_latex(eq.name, eq.symbol, alt.formula.to_latex(symbols))}$")
            else:
                lines.append(f"$${equation_latex(eq.name, eq.symbol, eq.formula.to_latex(symbols))}$$")
            lines.append("")
        if block == "defaults":
            lines.append("Default values are chosen by the option given in the monitoring-period file and the date they apply from.")
        cells.append(_md("\n".join(lines)))
        cells.append(_code(f'show.block(result, "{block}")'))
    cells += [
        _md("## Result\n\nThe emission reductions as the methodology rounds them, with every warning, then how the number was obtained."),
        _code("show.outcome(result)"),
        _code("show.trace(result)"),
        _code(
            """
# Headless runs (jcmwb run) pass an output folder: write the Monitoring Report Sheet there,
# from this Result (the one calculation of the run).
if output_dir:
    from jcmwb.run.outputs import write_result_outputs

    write_result_outputs(result, output_dir)
"""
        ),
        _md("## References\n\n" + ("\n".join(f"- {r}" for r in spec.references) or "- (none given in the spec)")),
    ]
    book = new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    book.metadata["jcmwb"] = {"methodology": spec.id, "version": version}
    return book


def generate(spec_id: str, *, force: bool = False) -> Path:
    """Write ``notebooks/<ID>.ipynb`` of the methodology's library from its spec."""
    spec = load_spec(spec_id)
    target = notebook_of(spec.id, spec.path, METHODOLOGIES)
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists (use --force to overwrite an author's notebook)")
    target.parent.mkdir(exist_ok=True)
    book = build(spec, example_file(spec.id, library_of(spec.path)))
    _write_atomic(book, target)
    return target


def scrub(book: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop execution timestamps and durations, so a re-execution only changes what changed."""
    book.metadata.pop("papermill", None)
    for cell in book.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill gives it a random id
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return book


def execute(spec_id: str) -> Path:
    """Execute ``notebooks/<ID>.ipynb`` in place on its default parameters (the example)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    spec_path = load_spec(spec_id).path
    target = notebook_of(spec_id, spec_path, METHODOLOGIES)
    handle, tmp = tempfile.mkstemp(suffix=".ipynb", dir=target.parent)
    os.close(handle)
    try:
        with searching(library_of(spec_path) if spec_path else ROOT):
            papermill.execute_notebook(str(target), tmp, kernel_name=KERNEL, cwd=str(target.parent), progress_bar=False, log_output=False, extra_arguments=QUIET_KERNEL, kernel_manager_class=manager_class())
        book = scrub(nbformat.read(tmp, as_version=4))
        _write_atomic(book, target)
    except PapermillExecutionError as exc:
        raise RunError(f"the notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}", file=str(target)) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _write_atomic(book: nbformat.NotebookNode, target: Path) -> None:
    write_atomically(target, lambda tmp: nbformat.write(book, str(tmp)), suffix=".ipynb.tmp")


def methodology_ids() -> list[str]:
    return [p.parent.name for p in spec_files()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jcmwb.run.notebook", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*", help="methodology ids (default: every one with a notebook)")
    parser.add_argument("--generate", action="store_true", help="write the notebook from the spec")
    parser.add_argument("--force", action="store_true", help="overwrite an existing notebook when generating")
    parser.add_argument("--execute", action="store_true", help="execute the notebook in place on its example")
    args = parser.parse_args(argv)
    ids = args.ids or ([p.stem for p in sorted(NOTEBOOKS.glob("[A-Z][A-Z]_[AP]M*.ipynb"))] if not args.generate else methodology_ids())
    for spec_id in ids:
        if args.generate:
            print("generated", generate(spec_id, force=args.force))
        if args.execute:
            print("executed", execute(spec_id), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
