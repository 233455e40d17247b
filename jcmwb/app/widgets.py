"""Small widget building blocks of the form: texts that follow the language switch,
message slots, rows of values per monitoring point, the monthly grid, calibration rows.

Nothing here knows a methodology; ``jcmwb.app.form`` assembles these from the spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from jcmwb.app.labels import t, t_html
from jcmwb.app.markup import HTML, Markup, html, join

TextFn = Callable[[str], str]  # a text of the page in a language (Markup for an HTML widget's value)


def css(*parts: str) -> str:
    """A CSS class name for a field (``jcmwb-monitored-EG_i_p-unit``): tests and styles find fields by it."""
    return "jcmwb-" + "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", str(p)) for p in parts if p != "")


class Texts:
    """Every text of the page that follows the language switch, with how to make it.

    A widget's text is registered with a function of the language; ``set_language``
    (and ``refresh``, for texts that also depend on other inputs) applies them all again.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._items: list[tuple[w.Widget, str, TextFn]] = []

    def bind(self, widget: w.Widget, attribute: str, make: TextFn) -> w.Widget:
        self._items.append((widget, attribute, make))
        if attribute == "options":
            set_options(widget, make(self.lang))  # type: ignore[arg-type]
        else:
            setattr(widget, attribute, make(self.lang))
        return widget

    def html(self, make: Callable[[str], Markup], *classes: str) -> HTML:
        """An HTML widget whose markup (``make(lang)``, built with ``jcmwb.app.markup.html``) follows the language."""
        # Made with its value and classes: each later change is one more message as the page opens.
        widget = HTML(value=make(self.lang), _dom_classes=classes)
        self._items.append((widget, "value", make))
        return widget

    def word(self, key: str, *classes: str, **values: Any) -> HTML:
        """An HTML widget showing the app's word ``key`` (values escaped)."""
        return self.html(lambda lang: t_html(key, lang, **values), *classes)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh()

    def refresh(self) -> None:
        for widget, attribute, make in self._items:
            value = make(self.lang)
            if attribute == "options":
                set_options(widget, value)  # type: ignore[arg-type]
            elif getattr(widget, attribute) != value:
                setattr(widget, attribute, value)


def set_options(widget: Any, options: Sequence[tuple[str, Any]]) -> None:
    """New option labels (or options) for a selection widget, keeping its value when still offered."""
    options = list(options)
    value = widget.value
    if list(widget.options) == options:
        return
    # Not under hold_trait_notifications: a selection widget validates its value against the
    # options at once, so the value is set back right after (observers see it come back).
    widget.options = options
    values = [v for _, v in options]
    if value in values and widget.value != value:
        widget.value = value
    elif widget.value not in values and values:
        widget.value = values[0]


class Slots:
    """Message slots: one HTML widget per key of the monitoring-period file, shown under its field."""

    def __init__(self) -> None:
        self.widgets: dict[str, HTML] = {}

    def make(self, key: str) -> HTML:
        slot = HTML(layout=w.Layout(display="none"), _dom_classes=("jcmwb-msg", css("msg", *key.split(".")) if key else "jcmwb-msg-general"))
        self.widgets[key] = slot
        return slot

    def clear(self) -> None:
        for slot in self.widgets.values():
            slot.value = ""
            slot.layout.display = "none"

    def clear_one(self, key: str) -> None:
        self.widgets[key].value = ""
        self.widgets[key].layout.display = "none"

    def show(self, key: str, texts: list[str], level: str = "error") -> None:
        """Show messages under a field; they are text (they may quote an input), never markup."""
        slot = self.widgets[key]
        slot.value = join("", [html("<div class='jcmwb-{level}'>{text}</div>", level=level, text=text) for text in texts])
        slot.layout.display = None


def labelled(label: w.Widget, control: w.Widget | None, slot: HTML | None, *, hint: w.Widget | None = None, cls: str = "") -> w.VBox:
    """A field: its label (with unit and description), the control, a hint, its message slot."""
    children = [label] + ([control] if control is not None else []) + ([hint] if hint is not None else []) + ([slot] if slot is not None else [])
    return w.VBox(children, _dom_classes=("jcmwb-field", cls) if cls else ("jcmwb-field",))


def text_input(cls: str, *, placeholder: str = "", value: str = "", width: str = "32em") -> w.Text:
    return w.Text(value=value, placeholder=placeholder, layout=w.Layout(width=width), _dom_classes=(cls,))


class MemberValues:
    """One text input per member (monitoring point or unit i), kept when the members change."""

    def __init__(self, texts: Texts, label_key: str, cls: str, *, default: str = "", placeholder_key: str | None = None, width: str = "14em") -> None:
        self.texts = texts
        self.label_key = label_key
        self.cls = cls
        self.default = default
        self.placeholder_key = placeholder_key
        self.width = width
        self.inputs: dict[str, w.Text] = {}
        self.box = w.VBox()
        self.box.add_class(cls)

    def set_members(self, members: Sequence[str]) -> None:
        members = list(members)
        if list(self.inputs) == members:
            return
        keep = {m: self.inputs[m].value for m in members if m in self.inputs}
        rows = []
        self.inputs = {}
        for member in members:
            field = text_input(css(self.cls.removeprefix("jcmwb-"), member), value=keep.get(member, self.default), width=self.width)
            if self.placeholder_key:
                self.texts.bind(field, "placeholder", lambda lang: t(self.placeholder_key, lang))
            self.inputs[member] = field
            label = HTML(layout=w.Layout(width="16em"))
            # The member is a point id from the user's file: escaped like every input text.
            self.texts.bind(label, "value", lambda lang, m=member: t_html(self.label_key, lang, member=m))
            rows.append(w.HBox([label, field]))
        self.box.children = rows

    def raw(self) -> dict[str, str]:
        return {m: field.value for m, field in self.inputs.items()}


class MonthlyGrid:
    """Months down, points across: one input per month and point, kept when the shape changes."""

    def __init__(self, cls: str) -> None:
        self.cls = cls
        self.cells: dict[tuple[str, str], w.Text] = {}
        self.months: list[str] = []
        self.points: list[str] = []
        self.box = w.VBox()
        self.box.add_class(cls)

    def set_shape(self, months: Sequence[str], points: Sequence[str]) -> None:
        months, points = list(months), list(points)
        if months == self.months and points == self.points:
            return
        old = {k: c.value for k, c in self.cells.items()}
        self.months, self.points, self.cells = months, points, {}
        if not months or not points:
            self.box.children = []
            return
        children: list[w.Widget] = [HTML()] + [HTML(value=html("<b>{point}</b>", point=p)) for p in points]
        for month in months:
            children.append(HTML(value=html("{month}", month=month)))
            for point in points:
                cell = w.Text(value=old.get((month, point), ""), layout=w.Layout(width="auto"))
                cell.add_class(css(self.cls.removeprefix("jcmwb-"), month, point))
                self.cells[(month, point)] = cell
                children.append(cell)
        grid = w.GridBox(children, layout=w.Layout(grid_template_columns=f"6em repeat({len(points)}, 10em)", grid_gap="2px 6px"))
        self.box.children = [grid]

    def raw(self) -> dict[tuple[str, str], str]:
        return {k: c.value for k, c in self.cells.items()}


class _Rows:
    """Rows the user adds and removes: the list, its add button (text ``add_text``) and a remove
    button on each row. CSS classes: ``cls`` on the box, ``<cls>-add``, ``<cls>-row-<n>``."""

    def __init__(self, texts: Texts, cls: str, add_text: str) -> None:
        self.texts = texts
        self.cls = cls
        self.rows: list[tuple[Any, ...]] = []  # each row's fields, then its HBox
        self.list = w.VBox()
        self.add = w.Button(icon="plus", layout=w.Layout(width="auto"))
        self.add.add_class(css(cls.removeprefix("jcmwb-"), "add"))
        texts.bind(self.add, "description", lambda lang: t(add_text, lang))
        self.add.on_click(lambda _: self.add_row())
        self.box = w.VBox([self.list, w.HBox([self.add])])
        self.box.add_class(cls)

    def add_row(self) -> None:
        raise NotImplementedError

    def _append(self, fields: tuple[Any, ...], shown: Sequence[w.Widget], n: int) -> None:
        """A row showing ``shown`` and a remove button, numbered ``n``, kept as ``(*fields, row)``."""
        remove = w.Button(icon="trash", layout=w.Layout(width="auto"))
        self.texts.bind(remove, "tooltip", lambda lang: t("remove", lang))
        row = w.HBox([*shown, remove])
        row.add_class(css(self.cls.removeprefix("jcmwb-"), "row", str(n)))
        entry = (*fields, row)
        remove.on_click(lambda _: self.remove_row(entry))
        self.rows.append(entry)
        self.list.children = [r for *_, r in self.rows]

    def remove_row(self, entry: tuple) -> None:
        self.rows = [r for r in self.rows if r is not entry]
        self.list.children = [r for *_, r in self.rows]


class CalibrationRows(_Rows):
    """Calibration records: point, date, error in percent; rows are added and removed by the user."""

    def __init__(self, texts: Texts, cls: str) -> None:
        self.points: list[str] = []
        super().__init__(texts, cls, "add_calibration")

    def set_points(self, points: Sequence[str]) -> None:
        self.points = list(points)
        for point, _, _, _ in self.rows:
            point.options = tuple(self.points)

    def add_row(self, point: str = "", date: Any = None, error: str = "") -> None:
        which = w.Combobox(value=point, options=tuple(self.points), ensure_option=False, layout=w.Layout(width="12em"))
        when = w.DatePicker(value=date, layout=w.Layout(width="12em"))
        size = w.Text(value=error, layout=w.Layout(width="8em"))
        self.texts.bind(which, "placeholder", lambda lang: t("cal_point", lang))
        self.texts.bind(size, "placeholder", lambda lang: t("cal_error", lang))
        self._append((which, when, size), (which, when, size), len(self.rows) + 1)

    def raw(self) -> list[tuple[str, Any, str]]:
        return [(p.value.strip(), d.value, e.value.strip()) for p, d, e, _ in self.rows]


REMAINDER = ""  # the rounding choice of the party that receives what is left after the others' rounding


class AllocationRows(_Rows):
    """The Credit Allocation form's split: one row per party (its code, its share in %, its rounding).

    A party's credits are its share of the result, rounded up, down or to the nearest whole
    tonne; one party is left without a rule and receives the remainder, so the parts add up
    to the credits (``jcmwb.engine.issuance``). Empty shares everywhere: no allocation.
    """

    def __init__(self, texts: Texts, parties: Sequence[str], rules: Sequence[str]) -> None:
        self.rules = tuple(rules)
        self.made = 0
        super().__init__(texts, "jcmwb-allocation", "allocation_add")
        for party in parties:
            self.add_row(party)

    def _rule_options(self, lang: str) -> list[tuple[str, str]]:
        return [(t("rounding_remainder", lang), REMAINDER)] + [(t(f"rounding_{rule}", lang), rule) for rule in self.rules]

    def add_row(self, party: str = "", share: str = "", rule: str = REMAINDER) -> None:
        self.made += 1  # rows are numbered as made (a removed row's number is not reused)
        n = self.made
        code = text_input(f"jcmwb-allocation-party-{n}", value=party, width="6em")
        percent = text_input(f"jcmwb-allocation-share-{n}", value=share, width="8em")
        rounding = w.Dropdown(layout=w.Layout(width="22em"))
        rounding.add_class(f"jcmwb-allocation-rounding-{n}")
        self.texts.bind(code, "placeholder", lambda lang: t("allocation_party", lang))
        self.texts.bind(percent, "placeholder", lambda lang: t("allocation_share", lang))
        self.texts.bind(rounding, "options", self._rule_options)
        rounding.value = rule
        self._append((code, percent, rounding), (code, percent, HTML(value=html("%")), rounding), n)

    def given(self) -> bool:
        """Whether the user gave a split (any share typed)."""
        return any(share.value.strip() for _, share, _, _ in self.rows)

    def raw(self) -> list[tuple[str, str, str]]:
        """(party, share as typed, rounding rule or REMAINDER) of each row with a party or a share."""
        return [(c.value.strip(), s.value.strip(), r.value) for c, s, r, _ in self.rows if c.value.strip() or s.value.strip()]

    def mapping(self) -> dict[str, Any]:
        """The ``allocation`` mapping of the monitoring-period file (shares as "50%", rules under ``rounding``)."""
        out: dict[str, Any] = {}
        rounding = {}
        for party, share, rule in self.raw():
            out[party] = f"{share.removesuffix('%').strip()}%"
            if rule != REMAINDER:
                rounding[party] = rule
        if rounding:
            out["rounding"] = rounding
        return out
