"""The Monitoring Plan Sheet (MPS): the ex ante estimate at PDD time, a renderer of a :class:`~jcmwb.engine.plan.Plan`.

Layout after the MPS as the ADB handbook describes it and the
MRS jcmwb writes:

``MPS(input)``
    header lines; Table 1, the parameters to be monitored ex post with their *estimated*
    values (the yearly estimate, and the value used for each calendar year of the crediting
    period: the estimate times the year's share in it), monitoring option, source, methods and
    frequency; Table 2, the parameters fixed ex ante per year (defaults in force that year,
    provisional ones flagged); Table 3, the ex ante estimate of ER per calendar year and its total.
``MPS(calc_process)``
    the numbered blocks of the calculation, one column per calendar year, every value a live
    formula over the input cells (``Formula.to_excel``, as in the MRS), with the engine's value cached.

Same plan, same bytes (the document date is the start of the crediting period).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_rowcol_to_cell

from jcmwb import __version__
from jcmwb.engine.atomic import write_atomically
from jcmwb.engine.spec import BLOCK_TITLES, BLOCKS
from jcmwb.sheets.common import Formats, absolute, column_titles, new_workbook, widths
from jcmwb.sheets.workbook import PROVISIONAL_NOTE, excel_finish, header_line, plain_symbol

if TYPE_CHECKING:
    from jcmwb.engine.plan import Plan

INPUT_SHEET = "MPS(input)"
CALC_SHEET = "MPS(calc_process)"
TABLE1_COLUMNS = (
    "(a) Monitoring point No.",
    "(b) Parameters",
    "(c) Description of data",
    "(d) Estimated values (per year)",
    "(e) Units",
    "(f) Monitoring option",
    "(g) Source of data",
    "(h) Measurement methods and procedures",
    "(i) Monitoring frequency",
)


def write_mps(plan: Plan, path: Path) -> Path:
    """Write ``MPS.xlsx`` atomically."""
    return write_atomically(path, lambda tmp: _write(plan, tmp), suffix=".xlsx")


def _write(plan: Plan, path: Path) -> None:
    info = plan.info
    first = plan.years[0].result
    spec = first.spec
    version = first.version
    book = new_workbook(path, f"Monitoring Plan Sheet JCM_{spec.id}_ver{version} {info.project_id}", dt.datetime.combine(plan.years[0].part.start, dt.time()))
    fmt = Formats(book, top=False)

    inp = book.add_worksheet(INPUT_SHEET)
    calc = book.add_worksheet(CALC_SHEET)
    years = plan.years
    ycol0 = len(TABLE1_COLUMNS)  # first per-year column of the input tables
    provisional = sorted({n for y in years for n in y.result.provisional})

    def headers(sheet: Any, kind: str) -> int:
        sheet.write_string(0, 0, header_line(spec.id, version), fmt.title)
        sheet.write_string(1, 0, f"Reference Number: {info.reference_number or info.project_id}", fmt.bold)
        sheet.write_string(2, 0, f"Monitoring Plan Sheet ({kind}) [For Validation]", fmt.bold)
        sheet.write_string(3, 0, f"Title of the project: {info.title}")
        sheet.write_string(4, 0, f"Crediting period: {info.crediting_start} to {info.crediting_end}; estimates: {plan.basis}")
        row = 5
        if provisional:
            sheet.write_string(row, 0, "WARNING: PROVISIONAL default value(s) used: " + ", ".join(provisional) + ". Not yet confirmed against the official methodology.", fmt.warning)
            row += 1
        return row + 1

    # refs[(year index, name, member)] -> absolute cell
    refs: dict[tuple[int, str, str | None], str] = {}

    widths(inp, (0, 2, 18), (2, 2, 40), (3, 5, 14), (6, 8, 30), (ycol0, ycol0 + len(years), 14))
    row = headers(inp, "Input Sheet")
    inp.write_string(row, 0, "Table 1: Parameters to be monitored ex post (estimated values)", fmt.bold)
    row += 1
    column_titles(inp, row, TABLE1_COLUMNS, fmt.head)
    for k, year in enumerate(years):
        inp.write_string(row, ycol0 + k, f"value used for {year.part.start} to {year.part.end} ({year.part.days}/{year.days_in_year} of the year)", fmt.head)
    row += 1
    for estimate in plan.estimates:
        param = spec.parameters[estimate.name]
        for point, per_year in estimate.per_year.items():
            cols = [point, plain_symbol(param.symbol), str(param.description), None, estimate.unit, f"Option {estimate.option}", estimate.source, param.measurement, param.frequency or ""]
            for col, text in enumerate(cols):
                if col == 3:
                    inp.write_number(row, col, per_year, fmt.input)
                else:
                    inp.write_string(row, col, text, fmt.text)
            for k, year in enumerate(years):
                values = year.result.values[estimate.name]
                value = values[point] if isinstance(values, dict) else values
                inp.write_number(row, ycol0 + k, value, fmt.input)
                refs[(k, estimate.name, point if param.index else None)] = absolute(INPUT_SHEET, row, ycol0 + k)
            row += 1
    inp.write_string(row, 0, f"Per-year values in {', '.join(sorted({spec.parameters[e.name].unit for e in plan.estimates}))}: the estimate x the year's days in the crediting period / the year's days.")
    row += 2

    inp.write_string(row, 0, "Table 2: Parameters fixed ex ante (project-specific values and selected default values)", fmt.bold)
    row += 1
    column_titles(inp, row, ("Parameters", "Unit i", "Description of data", "Units", "Source of data", "Status / comments"), fmt.head)
    for k, year in enumerate(years):
        inp.write_string(row, ycol0 + k, str(year.part.year), fmt.head)
    row += 1
    for name, fixed in first.fixed.items():
        param = spec.parameters[name]
        members = list(fixed.value) if isinstance(fixed.value, dict) else [None]
        for member in members:
            statuses = {y.result.fixed[name].status for y in years}
            status = PROVISIONAL_NOTE if "provisional" in statuses else ("default (confirmed)" if "confirmed" in statuses else "project-specific value")
            if fixed.choice:
                status += f"; option: {fixed.choice}"
            inp.write_string(row, 0, plain_symbol(param.symbol), fmt.text)
            inp.write_string(row, 1, member or "", fmt.text)
            inp.write_string(row, 2, str(param.description), fmt.text)
            inp.write_string(row, 3, param.unit, fmt.text)
            inp.write_string(row, 4, fixed.source, fmt.text)
            inp.write_string(row, 5, status, fmt.warn_text if "provisional" in statuses else fmt.text)
            for k, year in enumerate(years):
                fv = year.result.fixed[name]
                value = fv.value[member] if member else fv.value
                inp.write_number(row, ycol0 + k, value, fmt.provisional if fv.status == "provisional" else fmt.input)
                refs[(k, name, member)] = absolute(INPUT_SHEET, row, ycol0 + k)
            row += 1
    row += 1

    # calc_process: positions first, so a formula can refer to an equation further down.
    widths(calc, (0, 0, 48), (1, 4, 14), (4, 4, 44), (5, 5 + len(years), 14))
    crow = headers(calc, "Calculation Process Sheet")
    column_titles(calc, crow, ("Description", "Fuel type", "Units", "Parameter", "Formula"), fmt.head)
    vcol0 = 5
    for k, year in enumerate(years):
        calc.write_string(crow, vcol0 + k, f"{year.part.start} to {year.part.end}", fmt.head)
    crow += 1
    indices = first.indices
    layout: list[tuple[str, Any]] = []
    for number, block in enumerate(BLOCKS, start=1):
        layout.append(("block", f"{number}. {BLOCK_TITLES[block]}"))
        if block == "defaults":
            layout.extend(("default", (n, m)) for n, f in first.fixed.items() if spec.parameters[n].kind == "fixed_default" for m in (list(f.value) if isinstance(f.value, dict) else [None]))
            continue
        for name, eq in spec.equations.items():
            if eq.block == block:
                layout.extend(("equation", (name, m)) for m in (indices.get(eq.index, []) if eq.index else [None]))
    for offset, (kind, what) in enumerate(layout):
        if kind == "equation":
            for k in range(len(years)):
                refs[(k, what[0], what[1])] = absolute(CALC_SHEET, crow + offset, vcol0 + k)
    symbols = spec.symbols()

    def resolver(k: int):
        def ref(name: str, binding: dict[str, str]) -> str:
            index = symbols[name].index
            member = binding.get(index) if index else None
            if (k, name, member) not in refs and member is None:
                found = [key for key in refs if key[0] == k and key[1] == name]
                if len(found) == 1:
                    return refs[found[0]]
            return refs[(k, name, member)]

        return ref

    er_cells: list[str] = []
    for kind, what in layout:
        if kind == "block":
            calc.merge_range(crow, 0, crow, vcol0 + len(years) - 1, what, fmt.block)
            crow += 1
            continue
        name, member = what
        if kind == "default":
            param = spec.parameters[name]
            calc.write_string(crow, 0, str(param.description) + (f" ({member})" if member else ""), fmt.text)
            calc.write_string(crow, 1, param.fuel_type, fmt.text)
            calc.write_string(crow, 2, param.unit, fmt.text)
            calc.write_string(crow, 3, plain_symbol(param.symbol), fmt.text)
            calc.write_string(crow, 4, "", fmt.text)
            for k, year in enumerate(years):
                fv = year.result.fixed[name]
                value = fv.value[member] if member else fv.value
                calc.write_formula(crow, vcol0 + k, "=" + refs[(k, name, member)], fmt.provisional if fv.status == "provisional" else fmt.number, value)
            crow += 1
            continue
        eq = spec.equations[name]
        binding = {eq.index: member} if eq.index and member else {}
        calc.write_string(crow, 0, str(eq.description) + (f" ({member})" if member else ""), fmt.text)
        calc.write_string(crow, 1, eq.fuel_type, fmt.text)
        calc.write_string(crow, 2, eq.unit, fmt.text)
        calc.write_string(crow, 3, plain_symbol(eq.symbol), fmt.text)
        calc.write_string(crow, 4, f"{name} = {eq.formula.text}" + (f" (rounded {eq.rounding})" if eq.rounding != "none" else ""), fmt.text)
        for k, year in enumerate(years):
            body = eq.formula.to_excel(resolver(k), symbols, year.result.indices, eq.unit, binding)
            value = year.result.values[name][member] if member else year.result.values[name]
            calc.write_formula(crow, vcol0 + k, "=" + excel_finish(body, eq.rounding, eq.floor_at_zero), fmt.result if name == spec.result else fmt.number, value)
        if name == spec.result:
            er_cells = [absolute(CALC_SHEET, crow, vcol0 + k) for k in range(len(years))]
        crow += 1

    inp.write_string(row, 0, "Table 3: Ex ante estimation of CO2 emission reductions", fmt.bold)
    row += 1
    column_titles(inp, row, ("Calendar year", "Part of the crediting period", "Estimated emission reductions", "Units"), fmt.head)
    row += 1
    first_er = row
    unit = spec.equations[spec.result].unit
    for k, year in enumerate(years):
        inp.write_number(row, 0, year.part.year, fmt.text)
        inp.write_string(row, 1, f"{year.part.start} to {year.part.end} ({year.part.days} days)", fmt.text)
        inp.write_formula(row, 2, "=" + er_cells[k], fmt.result, year.result.er)
        inp.write_string(row, 3, unit.replace("/p", "/y"), fmt.text)
        row += 1
    inp.write_string(row, 0, "Total over the crediting period", fmt.bold)
    inp.write_formula(row, 2, f"=SUM({xl_rowcol_to_cell(first_er, 2)}:{xl_rowcol_to_cell(row - 1, 2)})", fmt.result, sum(y.result.er for y in years))
    inp.write_string(row, 3, unit.replace("/p", ""), fmt.text)
    row += 2
    inp.write_string(row, 0, "Values in yellow are inputs; every other number in this workbook is a formula over them.")
    inp.write_string(row + 1, 0, f"Written by jcmwb {__version__} from methodology spec sha256 {spec.sha256}.")
    book.close()
