"""The form, generated from a methodology spec: no code per methodology.

``MethodologyForm(spec, session, lang)`` builds one section per part of the
monitoring-period file (DESIGN 4.1): project and period; the choices and values fixed ex
ante that the spec allows (options of defaults, project-specific values per unit i,
alternatives of equations); each monitored parameter (option A/B/C, the data as an upload
or typed monthly or period totals, points, calibration records); the eligibility
checklist. Every field shows the spec's description and unit. ``check`` finds what can
be found without the engine (empty fields, numbers, units); ``period_mapping`` turns the
form into the mapping written as the monitoring-period file. Every field has a message
slot named by its key in that file, so the engine's messages land next to it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from jcmwb.app.checks import GENERAL, Problem, parse_number
from jcmwb.app.labels import html_symbol, spec_html, spec_plain, t, t_html
from jcmwb.app.markup import Markup, html, join
from jcmwb.app.session import Session
from jcmwb.app.widgets import AllocationRows, CalibrationRows, MemberValues, MonthlyGrid, Slots, Texts, css, labelled, text_input
from jcmwb.engine.errors import DataError, JcmwbError
from jcmwb.engine.files import check_workbook, read_input, size_text
from jcmwb.engine.spec import DatedValue, Parameter, Spec
from jcmwb.engine.units import factor, strip_period

FORMATS = ("interval", "register", "monthly")
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
PROJECT_VALUE = "__project__"
AUTO = "__auto__"


def describe(param_symbol: str, description: str, unit: str, extra: Markup | None = None) -> Markup:
    """The label of a parameter: symbol, description and unit, as the spec gives them."""
    unit_html = html(" <span class='jcmwb-unit'>[{unit}]</span>", unit=unit) if unit else Markup()
    return html("<span class='jcmwb-symbol'>{symbol}</span>{unit} {description}{extra}", symbol=html_symbol(param_symbol), unit=unit_html, description=description, extra=extra or Markup())


def dimensionless(unit: str) -> bool:
    """A unit that is a plain number (a COP, a ratio): written ``-`` in the spec."""
    return strip_period(unit) in ("-", "1", "")


def unit_hint_html(unit: str, lang: str, *, upload: bool = False) -> Markup:
    """What the unit field takes: a unit convertible to the parameter's, or none for a plain number."""
    if dimensionless(unit):
        return t_html("unit_hint_dimensionless", lang)
    return t_html("unit_file_hint" if upload else "unit_hint", lang, unit=strip_period(unit))


def dated_at(values: tuple[DatedValue, ...], day: dt.date | None) -> DatedValue:
    """The dated value that applies on ``day`` (the latest one when the day is not known yet)."""
    valid = [v for v in values if day is None or v.start <= day]
    return valid[-1] if valid else values[0]


def parse_points(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``PV-1: description`` lines -> {id: description}, and the problems found (label key, value)."""
    points: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        point, _, description = line.partition(":")
        point = point.strip()
        if not point:
            problems.append(("bad_point_line", str(n)))
            continue
        if point in points:
            problems.append(("duplicate_point", point))
            continue
        points[point] = description.strip()
    return points, problems


def whole_months(start: dt.date, end: dt.date) -> list[str]:
    """The calendar months lying wholly inside the period (only those can be monthly totals)."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = dt.date(year, month, 1)
        last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
        if first >= start and last <= end:
            months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def inspect_upload(path: Path) -> tuple[str | None, list[str]]:
    """A first look at an uploaded data file: the format its columns suggest, and its points.

    Its unit column is left alone (not copied into the unit field): the file speaks for
    itself, and a wrong unit in it is then reported against the file, where it is corrected.

    Only a convenience for filling the form in; the engine reads the file properly on Calculate.
    """
    import pandas as pd

    from jcmwb.engine.monitoring import max_data_bytes

    def wanted(column: Any) -> bool:
        return str(column).strip().lower() == "point"

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        # Bounded as the engine bounds it: a few MB of upload can unpack to gigabytes.
        limit = max_data_bytes()
        data = read_input(path, limit=limit, error=DataError, what="data file")
        check_workbook(data, str(path), limit=limit)
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        columns = [str(c).strip().lower() for c in frame.columns]
        frame.columns = columns
    else:
        columns = [str(c).strip().lower() for c in pd.read_csv(path, nrows=0, skipinitialspace=True).columns]
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, usecols=wanted)
        frame.columns = [str(c).strip().lower() for c in frame.columns]
    fmt = "register" if "reading" in columns else "monthly" if "month" in columns else "daily" if "category" in columns else "interval" if "timestamp" in columns else None
    points = list(dict.fromkeys(frame["point"].astype(str).str.strip())) if "point" in frame.columns else []
    return fmt, [p for p in points if p]


class FixedField:
    """A parameter fixed ex ante: a default (its options, or a project value where allowed) or a project value."""

    def __init__(self, form: MethodologyForm, param: Parameter) -> None:
        self.form = form
        self.param = param
        self.name = param.name
        texts, slots = form.texts, form.slots
        key = f"fixed.{self.name}"
        self.chooser: w.Dropdown | None = None
        self.values: MemberValues | None = None
        self.value: w.Text | None = None
        self.manual: w.Textarea | None = None
        children: list[w.Widget] = [texts.html(lambda lang: html("<div class='jcmwb-param'>{label}</div>", label=describe(param.symbol, spec_html(param.description, lang), param.unit)))]
        takes_value = param.kind == "fixed_project" or param.project_value
        if param.kind == "fixed_default":
            children.append(texts.html(self._defaults_text, css("defaults", self.name)))
            if len(param.choices) > 1 or param.project_value:
                self.chooser = w.Dropdown(layout=w.Layout(width="44em"))
                self.chooser.add_class(css("fixed", self.name, "option"))
                texts.bind(self.chooser, "options", self._choice_options)
                self.chooser.value = param.default_choice
                self.chooser.observe(lambda _: self._show_value_inputs(), "value")
                children.append(labelled(texts.word("choice"), self.chooser, slots.make(f"{key}.option")))
        self.value_box = w.VBox()
        if takes_value:
            inputs: list[w.Widget] = []
            if param.index:
                self.values = MemberValues(texts, "value_of", css("fixed", self.name, "values"))
                self.members_note = texts.html(self._members_text, "jcmwb-hint")
                self.manual = w.Textarea(rows=3, layout=w.Layout(width="20em", display="none"))
                self.manual.add_class(css("fixed", self.name, "members"))
                self.manual.observe(lambda _: self.set_members(self.form.members(self.param.index or "")), "value")
                inputs += [self.members_note, self.manual, self.values.box, slots.make(f"{key}.values")]
            else:
                self.value = text_input(css("fixed", self.name, "value"), width="14em")
                inputs += [labelled(texts.word("value"), self.value, slots.make(f"{key}.value"))]
            self.unit = text_input(css("fixed", self.name, "unit"), value=strip_period(param.unit), width="10em")
            self.source = text_input(css("fixed", self.name, "source"), width="44em")
            texts.bind(self.source, "placeholder", lambda lang: t("source_hint", lang))
            unit_hint = texts.html(lambda lang: unit_hint_html(param.unit, lang), "jcmwb-hint")
            inputs += [
                labelled(texts.word("unit_of_values"), self.unit, slots.make(f"{key}.unit"), hint=unit_hint),
                labelled(texts.word("source"), self.source, slots.make(f"{key}.source")),
            ]
            self.value_box.children = inputs
            children.append(self.value_box)
        children.append(slots.make(key))
        self.box = w.VBox(children)
        self.box.add_class("jcmwb-block")
        self.box.add_class(css("fixed", self.name))
        self._show_value_inputs()

    # -- texts -------------------------------------------------------------------------
    def _value_text(self, values: tuple[DatedValue, ...], lang: str) -> Markup:
        day = self.form.start()
        dated = dated_at(values, day)
        status = t("provisional", lang) if dated.provisional else t("confirmed", lang)
        flag = html("<span class='jcmwb-provisional'>{status}</span>", status=status) if dated.provisional else status
        if dated.table:
            by = self.form.spec.parameters.get(self.param.lookup_by or "")
            shown = t_html("table_lookup", lang, symbol=html_symbol(by.symbol) if by else self.param.lookup_by)
        else:
            shown = html("<b>{value:g}</b> {unit}", value=dated.value, unit=self.param.unit)
        return html("{shown} ({flag}; {source})", shown=shown, flag=flag, source=dated.source)

    def _defaults_text(self, lang: str) -> Markup:
        rows = []
        for name, choice in self.param.choices.items():
            label = Markup() if name == "default" and len(self.param.choices) == 1 else html("<b>{name}</b>: {description}: ", name=name, description=spec_html(choice.description, lang))
            if choice.members:
                parts = [html("{member} {value}", member=m, value=self._value_text(v, lang)) for m, v in choice.members.items()]
                rows.append(html("<li>{label}{per}: {parts}</li>", label=label, per=t("per_category", lang), parts=join("; ", parts)))
            else:
                rows.append(html("<li>{label}{value}</li>", label=label, value=self._value_text(choice.values, lang)))
        return html("<div class='jcmwb-hint'>{title}:<ul>{rows}</ul></div>", title=t("default_value", lang), rows=join("", rows))

    def _choice_options(self, lang: str) -> list[tuple[str, str]]:
        options = []
        for name, choice in self.param.choices.items():
            if choice.members or dated_at(choice.values, self.form.start()).table:
                shown = ""
            else:
                dated = dated_at(choice.values, self.form.start())
                shown = f": {dated.value:g} {self.param.unit}" + (f" ({t('provisional', lang)})" if dated.provisional else "")
            options.append((f"{name}: {spec_plain(choice.description, lang)}{shown}", name))
        if self.param.project_value:
            options.append((t("project_specific", lang), PROJECT_VALUE))
        return options

    def _members_text(self, lang: str) -> Markup:
        index = self.param.index or ""
        source = self.form.member_source(index)
        label = self.form.spec.indices.get(index)
        index_text = spec_html(label, lang) if label else index
        if source is None:
            return html("<div class='jcmwb-hint'>{text}</div>", text=t("members_manual", lang))
        symbol = html_symbol(self.form.spec.parameters[source].symbol)
        if not self.form.members(index):
            return html("<div class='jcmwb-hint'>{text}</div>", text=t_html("members_none", lang, symbol=symbol))
        return html("<div class='jcmwb-hint'>{text}</div>", text=t_html("members_from", lang, index=index_text, symbol=symbol))

    # -- behaviour ---------------------------------------------------------------------
    def takes_value(self) -> bool:
        """A project value is asked for: always for fixed_project, for a default when chosen."""
        if self.param.kind == "fixed_project":
            return True
        return self.chooser is not None and self.chooser.value == PROJECT_VALUE

    def _show_value_inputs(self) -> None:
        self.value_box.layout.display = None if self.takes_value() else "none"

    def set_members(self, members: list[str]) -> None:
        if self.values is None:
            return
        # Typed here while section 3 has no points yet (or has no parameter to take them from):
        # section 2 can be filled first; once section 3 lists its points, they are the members.
        manual = self.form.member_source(self.param.index or "") is None or not members
        if self.manual is not None:
            self.manual.layout.display = None if manual else "none"
        if manual and self.manual is not None:
            members = [m.strip() for m in self.manual.value.splitlines() if m.strip()]
        self.values.set_members(list(dict.fromkeys(members)))

    def check(self, lang: str) -> list[Problem]:
        if not self.takes_value():
            return []
        key = f"fixed.{self.name}"
        problems = []
        if self.values is not None:
            if not self.values.inputs:
                problems.append(Problem(f"{key}.values", t("members_manual", lang) + ": " + t("required", lang)))
            for member, text in self.values.raw().items():
                problems += _number_problem(f"{key}.values", text, lang, member=member)
        elif self.value is not None:
            problems += _number_problem(f"{key}.value", self.value.value, lang)
        problems += _unit_problem(f"{key}.unit", self.unit.value, self.param.unit, lang, required=False)
        if not self.source.value.strip():
            problems.append(Problem(f"{key}.source", t("required", lang)))
        return problems

    def entry(self) -> dict[str, Any] | None:
        if self.takes_value():
            item: dict[str, Any] = {}
            if self.values is not None:
                item["values"] = {m: parse_number(v) for m, v in self.values.raw().items()}
            elif self.value is not None:
                item["value"] = parse_number(self.value.value)
            item["unit"] = self.unit.value.strip() or strip_period(self.param.unit)
            item["source"] = self.source.value.strip()
            return item
        if self.chooser is not None:
            return {"option": self.chooser.value}
        return None  # the methodology's only default: nothing to choose


class MonitoredField:
    """A monitored parameter: option, data (upload, typed monthly totals or period totals), points, calibration."""

    def __init__(self, form: MethodologyForm, param: Parameter) -> None:
        self.form = form
        self.param = param
        self.name = param.name
        self.file: Path | None = None
        self.file_name: str | None = None
        self.upload_problem: str | None = None
        self.detected_points: list[str] = []
        self.active = True
        texts, slots = form.texts, form.slots
        key = f"monitored.{self.name}"
        self.key = key
        self.category = bool(param.categories)
        index = form.spec.indices.get(param.index or "")

        def heading(lang: str) -> Markup:
            extra = html(" <span class='jcmwb-hint'>({text})</span>", text=t("index_of", lang, index=index(lang) if index else param.index)) if param.index else Markup()
            lines = [html("<div class='jcmwb-param'>{label}</div>", label=describe(param.symbol, spec_html(param.description, lang), param.unit, extra))]
            # The spec's own texts: in Japanese where it gives one, else in English, marked as such.
            facts = [("frequency", param.frequency), ("measurement", param.measurement)]
            lines += [
                html("<div class='jcmwb-hint jcmwb-{key}'>{label}{sep}{value}</div>", key=k, label=t(k, lang), sep=t("place_separator", lang), value=spec_html(v, lang)) for k, v in facts if v
            ]
            if self.category:
                cats = join("; ", [html("<b>{category}</b>: {text}", category=c, text=spec_html(text, lang)) for c, text in param.categories.items()])
                lines.append(html("<div class='jcmwb-hint'>{text}</div>", text=t_html("categories_are", lang, categories=cats)))
            return join("", lines)

        self.unused_note = texts.word("not_used", "jcmwb-hint")
        self.unused_note.layout = w.Layout()  # hidden and shown: a layout of its own
        self.option = w.ToggleButtons(options=list(param.options), value="C" if "C" in param.options else param.options[0])
        self.option.style.button_width = "5em"
        self.option.add_class(css("monitored", self.name, "option"))
        option_hint = texts.html(lambda lang: join("<br>", [t(f"option_{o}", lang) for o in param.options]), "jcmwb-hint")

        self.mode = w.RadioButtons(layout=w.Layout(width="auto"))
        self.mode.add_class(css("monitored", self.name, "mode"))
        modes = ("upload",) if self.category or param.split_by else ("upload", "monthly", "totals")
        texts.bind(self.mode, "options", lambda lang: [(t(f"mode_{m}", lang), m) for m in modes])
        self.mode.observe(lambda _: self._show_mode(), "value")

        # upload
        self.upload = w.FileUpload(accept=",".join(UPLOAD_SUFFIXES), multiple=False)
        self.upload.add_class(css("monitored", self.name, "upload"))
        # ipywidgets writes the count of files held, "(0)" once the file is stored and the
        # widget emptied, into the button's text; the page's style sheet hides that text and
        # shows the tooltip instead (see jcmwb.app.page.STYLE, .jcmwb-upload-button).
        self.upload.add_class("jcmwb-upload-button")
        texts.bind(self.upload, "description", lambda lang: t("upload", lang))
        texts.bind(self.upload, "tooltip", lambda lang: t("upload_again" if self.file is not None else "upload", lang))
        self.upload.layout.width = "24em"
        self.upload.observe(self._on_upload, "value")
        self.upload_status = texts.html(self._upload_text, css("monitored", self.name, "status"), "jcmwb-hint")
        self.format = w.Dropdown(layout=w.Layout(width="44em"))
        self.format.add_class(css("monitored", self.name, "format"))
        formats = ("daily",) if self.category else FORMATS
        texts.bind(self.format, "options", lambda lang: [(t(f"format_{f}", lang), f) for f in formats])
        self.format.observe(lambda _: self._show_mode(), "value")
        self.interval = text_input(css("monitored", self.name, "interval"), width="10em")
        texts.bind(self.interval, "placeholder", lambda lang: "15min")
        self.exclude = w.Checkbox(value=False, indent=False)
        self.exclude.add_class(css("monitored", self.name, "exclude"))
        texts.bind(self.exclude, "description", lambda lang: t("exclude_outside", lang))
        self.exclude.layout.width = "auto"
        self.multipliers = MemberValues(texts, "multiplier_of", css("monitored", self.name, "multipliers"), placeholder_key="multiplier_placeholder")
        self.interval_field = labelled(texts.word("interval"), self.interval, slots.make(f"{key}.interval"), hint=texts.word("interval_hint", "jcmwb-hint"))
        self.multiplier_field = labelled(texts.word("multipliers"), self.multipliers.box, slots.make(f"{key}.multipliers"))
        self.upload_box = w.VBox(
            [
                labelled(texts.word("upload"), w.VBox([self.upload, self.upload_status]), slots.make(f"{key}.data")),
                labelled(texts.word("format"), self.format, slots.make(f"{key}.format")),
                self.interval_field,
                self.exclude,
                self.multiplier_field,
            ]
        )

        # typed data
        self.grid = MonthlyGrid(css("monitored", self.name, "monthly"))
        self.grid_note = texts.html(self._grid_text, "jcmwb-hint")
        self.totals = MemberValues(texts, "total_of", css("monitored", self.name, "totals"))
        self.monthly_box = labelled(texts.word("monthly_grid"), w.VBox([self.grid_note, self.grid.box]), None)
        self.totals_box = labelled(texts.word("totals"), self.totals.box, None)
        values_slot = slots.make(f"{key}.values")

        # unit, points, calibration, source, comments
        self.unit = text_input(css("monitored", self.name, "unit"), width="10em")
        self.unit.placeholder = strip_period(param.unit)
        unit_hint = texts.html(lambda lang: unit_hint_html(param.unit, lang, upload=self.mode.value == "upload"), "jcmwb-hint")
        self.unit_hint = unit_hint
        self.unit_field = labelled(texts.word("unit"), self.unit, slots.make(f"{key}.unit"), hint=unit_hint)
        self.points = w.Textarea(rows=3, layout=w.Layout(width="44em"))
        self.points.add_class(css("monitored", self.name, "points"))
        self.points.observe(lambda _: self.form.members_changed(), "value")
        points_hint = texts.html(lambda lang: t_html("points_hint", lang) if param.index else t_html("points_single", lang, symbol=html_symbol(param.symbol)), "jcmwb-hint")
        self.points_field = labelled(texts.word("points"), self.points, slots.make(f"{key}.points"), hint=points_hint)
        self.calibration = CalibrationRows(texts, css("monitored", self.name, "calibration"))
        calibration_field = labelled(texts.word("calibration"), self.calibration.box, slots.make(f"{key}.calibration"), hint=texts.word("calibration_hint", "jcmwb-hint"))
        self.source = text_input(css("monitored", self.name, "source"), width="44em")
        texts.bind(self.source, "placeholder", lambda lang: t("data_source_hint", lang))
        self.comments = w.Textarea(rows=2, layout=w.Layout(width="44em"))
        self.comments.add_class(css("monitored", self.name, "comments"))

        mode_field = labelled(texts.word("mode"), self.mode, None)
        mode_field.layout.display = None if len(modes) > 1 else "none"  # one way only: nothing to choose
        calibration_field.layout.display = "none" if self.category else None
        self.body = w.VBox(
            [
                labelled(texts.word("option"), self.option, slots.make(f"{key}.option"), hint=option_hint),
                mode_field,
                self.upload_box,
                self.unit_field,
                self.points_field,
                self.monthly_box,
                self.totals_box,
                values_slot,
                calibration_field,  # hidden for day categories: nothing is metered
                labelled(texts.word("data_source"), self.source, slots.make(f"{key}.source")),
                labelled(texts.word("comments"), self.comments, None),
            ]
        )
        self.box = w.VBox([texts.html(heading), self.unused_note, self.body, slots.make(key)])
        self.box.add_class("jcmwb-block")
        self.box.add_class(css("monitored", self.name))
        self.unused_note.layout.display = "none"
        self._show_mode()

    # -- texts -------------------------------------------------------------------------
    def _upload_text(self, lang: str) -> Markup:
        if self.file is None:
            return t_html("upload_none", lang)
        size = size_text(self.file.stat().st_size) if self.file.exists() else ""
        points = self.detected_points
        if points:
            return t_html("upload_saved", lang, name=self.file_name, size=size, points=", ".join(points))
        return t_html("upload_saved_nopoints", lang, name=self.file_name, size=size)

    def _grid_text(self, lang: str) -> Markup:
        if self.form.start() is None or self.form.end() is None:
            return t_html("set_period_first", lang)
        if not self.point_ids():
            return t_html("list_points_first", lang)
        return t_html("monthly_grid_hint", lang)

    # -- behaviour ---------------------------------------------------------------------
    def _show_mode(self) -> None:
        mode = self.mode.value
        upload = mode == "upload"
        self.upload_box.layout.display = None if upload else "none"
        self.monthly_box.layout.display = None if mode == "monthly" else "none"
        self.totals_box.layout.display = None if mode == "totals" else "none"
        self.interval_field.layout.display = None if upload and self.format.value == "interval" else "none"
        self.exclude.layout.display = None if upload and self.format.value in FORMATS else "none"
        self.multiplier_field.layout.display = None if upload and self.format.value == "register" else "none"
        self.points_field.layout.display = "none" if self.category else None
        self.unit_field.layout.display = "none" if self.category else None
        self.form.members_changed()

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        self.form.guard(self._receive, files[0])

    def _receive(self, item: dict) -> None:
        lang = self.form.texts.lang
        name = str(item.get("name", "data.csv"))
        content = item.get("content", b"")
        size = int(item.get("size") or len(content))
        self.form.slots.clear_one(f"{self.key}.data")
        limit = self.form.max_upload_bytes
        problem = None
        if size > limit:
            problem = t("upload_too_large", lang, name=name, size=size_text(size), limit=size_text(limit))
        elif len(content) != size:
            problem = t("upload_incomplete", lang, name=name)
        elif Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            problem = t("upload_type", lang, name=name, suffix=Path(name).suffix)
        self.upload.value = ()  # the bytes are on disk (or refused): free the widget's copy
        if problem:
            # A refused file replaces the one before: never calculate silently on an older upload.
            self.upload_problem = problem
            self.form.session.drop_upload(self.name)
            self.file = self.file_name = None
            self.detected_points = []
            self.form.slots.show(f"{self.key}.data", [problem])
            self.form.texts.refresh()
            return
        self.upload_problem = None
        self.file = self.form.session.save_upload(self.name, name, content)
        self.file_name = name
        self.detected_points = []
        try:
            fmt, points = inspect_upload(self.file)
        except Exception:  # unreadable: the engine names the problem precisely on Calculate
            fmt, points = None, []
        if fmt in (FORMATS if not self.category else ("daily",)):
            self.format.value = fmt
        if not self.category and points:
            # The file decides which points there are; descriptions already typed are kept.
            self.detected_points = points
            listed, _ = parse_points(self.points.value)
            self.points.value = "\n".join(f"{p}: {listed.get(p, '')}" for p in points)
        self.form.texts.refresh()

    def point_ids(self) -> list[str]:
        if self.category:
            return list(self.param.categories)
        points, _ = parse_points(self.points.value)
        return list(points)

    def set_active(self, active: bool) -> None:
        self.active = active
        self.body.layout.display = None if active else "none"
        self.unused_note.layout.display = "none" if active else None

    def refresh_shape(self) -> None:
        points = self.point_ids()
        start, end = self.form.start(), self.form.end()
        months = whole_months(start, end) if start and end and end >= start else []
        self.grid.set_shape(months, points)
        single = points if self.param.index else (points[:1] or ["period"])
        self.totals.set_members(single)
        self.multipliers.set_members(points)
        self.calibration.set_points(points)

    def left_out(self) -> bool:
        """A reported-only parameter (methodologies/README.md 2.2) with nothing entered: the period may leave it out."""
        if not self.param.reported_only:
            return False
        mode = self.mode.value
        if mode == "upload":
            return self.file is None
        typed = self.grid.raw() if mode == "monthly" else self.totals.raw()
        return not any(v.strip() for v in typed.values())

    def check(self, lang: str) -> list[Problem]:
        if self.left_out():
            return []
        key = self.key
        problems: list[Problem] = []
        mode = self.mode.value
        if not self.category:
            _, bad = parse_points(self.points.value)
            for what, value in bad:
                problems.append(Problem(f"{key}.points", t(what, lang, n=value, point=value)))
            ids = self.point_ids()
            if mode != "upload" and self.param.index and not ids:
                problems.append(Problem(f"{key}.points", t("no_points", lang)))
            if not self.param.index and len(ids) > 1:
                problems.append(Problem(f"{key}.points", t("one_point_only", lang, symbol=self.param.symbol)))
        if mode == "upload":
            if self.file is None:
                problems.append(Problem(f"{key}.data", self.upload_problem or t("no_file", lang)))
            if not self.category:
                problems += _unit_problem(f"{key}.unit", self.unit.value, self.param.unit, lang, required=False)
            if self.format.value == "register":
                for member, text in self.multipliers.raw().items():
                    problems += _multiplier_problem(f"{key}.multipliers", text, lang, member=member)
        elif mode == "monthly":
            problems += _unit_problem(f"{key}.unit", self.unit.value, self.param.unit, lang, required=True)
            for (month, point), text in self.grid.raw().items():
                if not text.strip():
                    problems.append(Problem(f"{key}.values", t("monthly_missing", lang, month=month, point=point)))
                    break
                problems += _number_problem(f"{key}.values", text, lang, member=f"{month}, {point}", allow_negative=False)
            if not self.grid.cells:
                problems.append(Problem(f"{key}.values", t("set_period_first", lang) if self.form.start() is None else t("list_points_first", lang)))
        else:
            problems += _unit_problem(f"{key}.unit", self.unit.value, self.param.unit, lang, required=True)
            for member, text in self.totals.raw().items():
                problems += _number_problem(f"{key}.values", text, lang, member=member, allow_negative=False)
        for n, (point, day, error) in enumerate(self.calibration.raw(), start=1):
            if not point or day is None or not error:
                problems.append(Problem(f"{key}.calibration", t("cal_incomplete", lang, n=n)))
            else:
                problems += _number_problem(f"{key}.calibration", error, lang, member=f"{n}")
        return problems

    def entry(self) -> dict[str, Any] | None:
        """This parameter's part of the monitoring-period file (None: left out); typed monthly totals become a file."""
        if self.left_out():
            return None
        item: dict[str, Any] = {"option": self.option.value}
        mode = self.mode.value
        points, _ = parse_points(self.points.value)
        unit = self.unit.value.strip()
        if mode == "upload":
            assert self.file is not None
            item["data"] = self.file.name
            item["format"] = self.format.value
            if self.format.value == "interval" and self.interval.value.strip():
                item["interval"] = self.interval.value.strip()
        elif mode == "monthly":
            lines = ["month,point,value"] + [f"{m},{p},{v.strip()}" for (m, p), v in self.grid.raw().items()]
            path = self.form.session.write_text(f"{self.name}-monthly.csv", "\n".join(lines) + "\n")
            item["data"] = path.name
            item["format"] = "monthly"
        else:
            item["values"] = {m: parse_number(v) for m, v in self.totals.raw().items()}
        if unit and not self.category:
            item["unit"] = unit
        if points and not self.category:
            item["points"] = points
        if mode == "upload" and self.format.value == "register":
            item["multipliers"] = {m: parse_number(v) for m, v in self.multipliers.raw().items()}
        calibration = [{"point": p, "date": d.isoformat(), "error_percent": parse_number(e)} for p, d, e in self.calibration.raw()]
        if calibration:
            item["calibration"] = calibration
        if self.source.value.strip():
            item["source"] = self.source.value.strip()
        if self.comments.value.strip():
            item["comments"] = self.comments.value.strip()
        return item


def _number_problem(key: str, text: str, lang: str, *, member: str | None = None, allow_negative: bool = True) -> list[Problem]:
    prefix = f"{member}: " if member else ""
    if not str(text).strip():
        return [Problem(key, prefix + (t("missing_value_for", lang, member=member) if member else t("required", lang)))]
    try:
        value = parse_number(text)
    except ValueError:
        return [Problem(key, prefix + t("not_a_number", lang, found=text))]
    if not allow_negative and value < 0:
        return [Problem(key, prefix + t("negative", lang, found=text))]
    return []


def _multiplier_problem(key: str, text: str, lang: str, *, member: str) -> list[Problem]:
    """A register's multiplier is given, never assumed (issue 12 item 16), and greater than zero."""
    problems = _number_problem(key, text, lang, member=member)
    if not problems and not parse_number(text) > 0:
        problems.append(Problem(key, f"{member}: " + t("multiplier_positive", lang, found=text)))
    return problems


def _unit_problem(key: str, text: str, unit: str, lang: str, *, required: bool) -> list[Problem]:
    text = text.strip()
    if not text:
        return [Problem(key, t("unit_needed_dimensionless" if dimensionless(unit) else "unit_needed", lang, unit=strip_period(unit)))] if required else []
    try:
        factor(text, strip_period(unit))
    except JcmwbError:
        return [Problem(key, t("bad_unit_dimensionless" if dimensionless(unit) else "bad_unit", lang, found=text, unit=strip_period(unit)))]
    return []


class MethodologyForm:
    """The whole form of one methodology, built from its spec."""

    def __init__(self, spec: Spec, session: Session, lang: str, *, max_upload_bytes: int, guard: Callable[..., Any]) -> None:
        self.spec = spec
        self.session = session
        self.max_upload_bytes = max_upload_bytes
        self.guard = guard  # runs a callback, turning any failure into a plain message
        self.texts = Texts(lang)
        self.slots = Slots()
        texts, slots = self.texts, self.slots

        # 1. project and period
        self.project_id = text_input("jcmwb-project-id", width="20em")
        texts.bind(self.project_id, "placeholder", lambda lang: t("project_id_hint", lang))
        self.project_title = text_input("jcmwb-project-title", width="44em")
        self.partner_country = text_input("jcmwb-partner-country", value=spec.country, width="6em")
        self.participants = text_input("jcmwb-participants", width="44em")
        # The Credit Allocation form's split: a row per party (Japan and the partner country to start with).
        from jcmwb.engine.issuance import RULES

        self.allocation = AllocationRows(texts, ["JP", spec.country] if spec.country and spec.country != "JP" else ["JP"], RULES)
        self.start_picker = w.DatePicker(value=None)
        self.start_picker.add_class("jcmwb-period-start")
        self.end_picker = w.DatePicker(value=None)
        self.end_picker.add_class("jcmwb-period-end")
        for picker in (self.start_picker, self.end_picker):
            picker.observe(lambda _: self.guard(self.period_changed), "value")
        self.version = w.Dropdown(layout=w.Layout(width="32em"))
        self.version.add_class("jcmwb-version")
        texts.bind(
            self.version,
            "options",
            lambda lang: [(t("version_auto", lang), AUTO)] + [(f"ver{v.version} ({t('approved_on', lang, date=v.approved.isoformat())})", v.version) for v in spec.versions],
        )
        section1 = [
            texts.word("sec_project", "jcmwb-section"),
            labelled(texts.word("project_id"), self.project_id, slots.make("project.id")),
            labelled(texts.word("project_title"), self.project_title, slots.make("project.title")),
            labelled(texts.word("partner_country"), self.partner_country, slots.make("project.partner_country")),
            labelled(texts.word("participants"), self.participants, slots.make("participants")),
            labelled(texts.word("allocation"), self.allocation.box, slots.make("allocation"), hint=texts.word("allocation_hint", "jcmwb-hint")),
            w.HBox(
                [
                    labelled(texts.word("period_start"), self.start_picker, slots.make("period.start")),
                    labelled(texts.word("period_end"), self.end_picker, slots.make("period.end")),
                ]
            ),
            slots.make("period"),
            labelled(texts.word("version"), self.version, slots.make("version")),
        ]

        # 2. choices and values fixed ex ante
        self.alternatives: dict[str, w.Dropdown] = {}
        section2: list[w.Widget] = [texts.word("sec_fixed", "jcmwb-section")]
        for name, eq in spec.alternatives().items():
            chooser = w.Dropdown(layout=w.Layout(width="44em"))
            chooser.add_class(css("alternatives", name))
            texts.bind(chooser, "options", lambda lang, eq=eq: [(f"{a}: {spec_plain(alt.description, lang)}", a) for a, alt in eq.alternatives.items()])
            chooser.value = eq.default_alternative
            chooser.observe(lambda _: self.guard(self.update_active), "value")
            self.alternatives[name] = chooser
            label = texts.html(
                lambda lang, eq=eq: html(
                    "{label} <span class='jcmwb-hint'>{description}</span>", label=t_html("alternative", lang, symbol=html_symbol(eq.symbol)), description=eq.description(lang)
                )
            )
            section2.append(labelled(label, chooser, slots.make(f"alternatives.{name}")))
        self.fixed: dict[str, FixedField] = {}
        self.monitored: dict[str, MonitoredField] = {}
        for name, param in spec.parameters.items():
            if param.kind != "monitored":
                self.fixed[name] = FixedField(self, param)
                section2.append(self.fixed[name].box)
        if len(section2) == 1:
            section2.append(texts.word("sec_fixed_none", "jcmwb-hint"))

        # 3. monitored parameters
        section3: list[w.Widget] = [texts.word("sec_monitored", "jcmwb-section")]
        for name, param in spec.parameters.items():
            if param.kind == "monitored":
                self.monitored[name] = MonitoredField(self, param)
                section3.append(self.monitored[name].box)

        # 4. eligibility
        self.eligibility: dict[str, w.ToggleButtons] = {}
        section4: list[w.Widget] = [texts.word("sec_eligibility", "jcmwb-section")]
        for criterion in spec.eligibility:
            answer = w.ToggleButtons(value=None)
            answer.add_class(css("eligibility", criterion.id))
            texts.bind(answer, "options", lambda lang: [(t("yes", lang), "yes"), (t("no", lang), "no"), (t("unanswered", lang), "")])
            answer.value = ""
            label = texts.html(lambda lang, c=criterion: html("<b>{id}.</b> {text}", id=c.id, text=spec_html(c.text, lang)))
            self.eligibility[criterion.id] = answer
            section4.append(labelled(label, answer, slots.make(f"eligibility.{criterion.id}")))

        self.general = slots.make(GENERAL)
        self.widget = w.VBox([w.VBox(section1), w.VBox(section2), w.VBox(section3), w.VBox(section4)])
        self.widget.add_class("jcmwb-form")
        self.update_active()
        self.members_changed()

    # -- period and members ---------------------------------------------------------------
    def start(self) -> dt.date | None:
        return self.start_picker.value

    def end(self) -> dt.date | None:
        return self.end_picker.value

    def period_changed(self) -> None:
        self.members_changed()
        self.texts.refresh()  # defaults shown are the ones valid on the first day

    def member_source(self, index: str) -> str | None:
        """The monitored parameter whose points are the members of ``index`` (None: typed by hand).

        The categories of a category parameter when the index has one; else the points of the
        first monitored parameter with that index (a parameter split by category has meters
        as points, not members of the index).
        """
        for name, field in self.monitored.items():
            if field.param.index == index and field.active and field.category:
                return name
        for name, field in self.monitored.items():
            if field.param.index == index and field.active and not field.param.split_by:
                return name
        return None

    def members(self, index: str) -> list[str]:
        source = self.member_source(index)
        return self.monitored[source].point_ids() if source else []

    def members_changed(self) -> None:
        if not hasattr(self, "fixed") or not hasattr(self, "eligibility"):
            return  # still building
        for field in self.monitored.values():
            field.refresh_shape()
        for field in self.fixed.values():
            field.set_members(self.members(field.param.index or ""))
        self.texts.refresh()

    def choices(self) -> dict[str, str]:
        return {name: chooser.value for name, chooser in self.alternatives.items()}

    def update_active(self) -> None:
        """Show only what the alternatives selected use (a parameter of another alternative is not asked for)."""
        inactive = self.spec.inactive(self.choices()) if self.alternatives else set()
        for name, field in self.fixed.items():
            field.box.layout.display = "none" if name in inactive else None
        for name, field in self.monitored.items():
            field.set_active(name not in inactive)
        self.members_changed()

    def active_fixed(self) -> list[FixedField]:
        return [f for f in self.fixed.values() if f.box.layout.display != "none"]

    def active_monitored(self) -> list[MonitoredField]:
        return [f for f in self.monitored.values() if f.active]

    # -- language ------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.texts.set_language(lang)

    # -- validation and the monitoring-period file ----------------------------------------------
    def check(self) -> list[Problem]:
        """What can be found wrong without the engine; the engine checks the rest on Calculate."""
        lang = self.texts.lang
        problems: list[Problem] = []
        if not self.project_id.value.strip():
            problems.append(Problem("project.id", t("required", lang)))
        if self.start() is None:
            problems.append(Problem("period.start", t("required", lang)))
        if self.end() is None:
            problems.append(Problem("period.end", t("required", lang)))
        if self.start() and self.end() and self.end() < self.start():
            problems.append(Problem("period.end", t("end_before_start", lang, start=self.start().isoformat())))
        if self.allocation.given():
            problems += self._check_allocation()
        for fixed in self.active_fixed():
            problems += fixed.check(lang)
        for field in self.active_monitored():
            problems += field.check(lang)
        return problems

    def notices(self) -> list[Problem]:
        """What does not stop a calculation but should be seen: eligibility criteria left unanswered.

        The engine decides what an unanswered criterion means (a warning in every output);
        the form says so next to the criterion, before the results show the engine's warning.
        """
        return [Problem(f"eligibility.{cid}", t("eligibility_unanswered", self.texts.lang)) for cid, answer in self.eligibility.items() if not answer.value]

    def _check_allocation(self) -> list[Problem]:
        from jcmwb.app.checks import plain
        from jcmwb.engine.errors import InputError
        from jcmwb.engine.issuance import parse_allocation

        lang = self.texts.lang
        problems = []
        for n, (party, share, _) in enumerate(self.allocation.raw(), start=1):
            if not party:
                problems.append(Problem("allocation", t("allocation_no_party", lang, n=n)))
            elif not share:
                problems.append(Problem("allocation", t("missing_value_for", lang, member=party)))
        if problems:
            return problems
        try:
            parse_allocation(self.allocation.mapping())
        except InputError as exc:
            return [Problem("allocation", plain(exc, rest=(exc.where or "").removeprefix("allocation").lstrip("."), lang=lang))]
        return []

    def period_mapping(self) -> dict[str, Any]:
        """The monitoring-period file as a mapping (only after ``check`` found nothing)."""
        project: dict[str, Any] = {"id": self.project_id.value.strip()}
        if self.project_title.value.strip():
            project["title"] = self.project_title.value.strip()
        if self.partner_country.value.strip():
            project["partner_country"] = self.partner_country.value.strip()
        mapping: dict[str, Any] = {"methodology": self.spec.id}
        if self.version.value != AUTO:
            mapping["version"] = self.version.value
        mapping["project"] = project
        if self.participants.value.strip():
            mapping["participants"] = self.participants.value.strip()
        mapping["period"] = {"start": self.start().isoformat(), "end": self.end().isoformat()}  # type: ignore[union-attr]
        if self.alternatives:
            mapping["alternatives"] = self.choices()
        fixed = {f.name: entry for f in self.active_fixed() if (entry := f.entry()) is not None}
        if fixed:
            mapping["fixed"] = fixed
        mapping["monitored"] = {f.name: entry for f in self.active_monitored() if (entry := f.entry()) is not None}
        answers = {cid: answer.value == "yes" for cid, answer in self.eligibility.items() if answer.value}
        if answers:
            mapping["eligibility"] = answers
        if self.allocation.given():
            mapping["allocation"] = self.allocation.mapping()
        return mapping

    def data_files(self) -> dict[Path, str]:
        """Each data file of the period -> its parameter (to place a data file's messages)."""
        out = {}
        for field in self.active_monitored():
            if field.mode.value == "upload" and field.file is not None:
                out[field.file.resolve()] = field.name
            elif field.mode.value == "monthly":
                out[(self.session.input / f"{field.name}-monthly.csv").resolve()] = field.name
        return out

    def file_names(self) -> dict[Path, str]:
        """Each data file -> the name the user knows it by."""
        out = {}
        for field in self.active_monitored():
            if field.mode.value == "upload" and field.file is not None and field.file_name:
                out[field.file.resolve()] = field.file_name
            elif field.mode.value == "monthly":
                out[(self.session.input / f"{field.name}-monthly.csv").resolve()] = t("monthly_grid", self.texts.lang)
        return out

    def show(self, problems: list[Problem]) -> None:
        by_key: dict[str, list[str]] = {}
        for problem in problems:
            key = problem.key if problem.key in self.slots.widgets else GENERAL
            by_key.setdefault(key, []).append(problem.text)
        for key, texts in by_key.items():
            self.slots.show(key, texts)
