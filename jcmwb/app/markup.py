"""All the HTML the app shows is made here: from the app's own templates, with every value escaped.

A text that comes from an input (a point id or its description, a file name, the project's
id or title, a calibration record, a message quoting a cell of a data file, the engine's
notes and gap texts, a download's name) must reach the page as text, never as markup: a
point id ``<img src=x onerror=...>`` in an uploaded CSV would otherwise run in the browser
the moment the form lists the points. The rule is kept by construction:

- ``html(template, **values)`` fills a template written in the app's source with values,
  escaping each one (quotes too, so a value is safe inside an attribute) unless it is
  ``Markup`` made here already; ``Markup`` is the only type the app treats as HTML;
- ``HTML`` is the only HTML widget of the app: it refuses a value that is not ``Markup``
  (``TypeError``), so a new field that forgets to go through ``html`` fails at once, in the
  tests that build the form of every methodology, rather than opening a hole;
- the app's other widgets show text as text: in ipywidgets 8 a ``description`` is text unless
  ``description_allow_html`` is set (the app never sets it), and the labels of Dropdown,
  RadioButtons and ToggleButtons options, placeholders, tooltips and input values are text;
- ``chart_text`` makes a text literal for matplotlib, which would read ``$...$`` as math.

``tests/test_app_security.py`` checks the rule on the source (no other HTML widget or
``IPython.display.HTML``, templates are literals) and on the page.
"""

from __future__ import annotations

import base64
import html as _html
import re
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle
from traitlets import validate


class Markup(str):
    """HTML made by this module: its input texts were escaped. Adding or joining escapes plain strings."""

    __slots__ = ()

    def __add__(self, other: object) -> Markup:
        return Markup(str.__add__(self, escape(other)))

    def __radd__(self, other: object) -> Markup:
        return Markup(str.__add__(escape(other), self))

    def join(self, items: Iterable[object]) -> Markup:  # type: ignore[override]
        return Markup(str.join(self, (escape(item) for item in items)))


def escape(value: object) -> Markup:
    """A value as HTML text: ``& < > " '`` escaped; ``Markup`` is kept as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(_html.escape(str(value), quote=True))


class _EscapingFormatter(string.Formatter):
    """``str.format`` whose fields are formatted first (``{n:.1f}``, ``{id!r}``), then escaped."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Markup) and not format_spec:
            return value
        return escape(format(value, format_spec))


_FORMATTER = _EscapingFormatter()


def render(template: str, values: dict[str, Any]) -> Markup:
    """``template`` (the app's own markup) filled with escaped ``values``.

    Only for templates of the app's own word table (``jcmwb.app.labels.t_html``); elsewhere
    use ``html``, whose template is a literal in the source.
    """
    return Markup(_FORMATTER.vformat(template, (), values))


def html(template: str, /, **values: Any) -> Markup:
    """Markup from a template written in the app's source; each value is escaped unless it is ``Markup``.

    >>> html("<b>{point}</b>", point="<img src=x>")
    '<b>&lt;img src=x&gt;</b>'
    """
    return render(template, values)


def constant(text: str) -> Markup:
    """Markup written in the app's source as one literal (a style sheet, a script): nothing to fill in."""
    return Markup(text)


def join(separator: str, parts: Iterable[object]) -> Markup:
    """Parts joined by a separator written in the source; plain parts are escaped."""
    return Markup(separator).join(parts)


_SUB_BRACED = re.compile(r"_\{([^}]*)\}")
_SUB_SINGLE = re.compile(r"_([A-Za-z0-9])")


def symbol(text: str) -> Markup:
    """A methodology symbol as printed (``EG_{i,p}``, ``\\sum_i EG_{i,p}``), with subscripts.

    Escaped first, then only ``<sub>`` tags are added around what was escaped already.
    """
    escaped = str(escape(text)).replace("\\sum", "Σ").replace("\\", "")
    escaped = _SUB_BRACED.sub(r"<sub>\1</sub>", escaped)
    return Markup(_SUB_SINGLE.sub(r"<sub>\1</sub>", escaped))


class _Shared:
    """A layout or style shared by many widgets, frozen: changing it would change them all."""

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False) and name in self.keys and not name.startswith("_"):  # type: ignore[attr-defined]
            raise AttributeError(f"a shared {type(self).__name__}: give the widget its own (layout=w.Layout()) to change its {name}")
        super().__setattr__(name, value)


class _SharedLayout(_Shared, w.Layout):
    pass


class _SharedStyle(_Shared, HTMLStyle):
    pass


_shared: dict[str, Any] = {}


def _shared_default(kind: str) -> Any:
    # Made on first use, in the kernel that shows the page (a widget model belongs to its kernel).
    if kind not in _shared:
        made = _SharedLayout() if kind == "layout" else _SharedStyle()
        made._frozen = True
        _shared[kind] = made
    return _shared[kind]


class HTML(w.HTML):
    """The app's HTML widget: its value must be ``Markup`` (or empty), never a plain string.

    Unless given its own, it shares one layout and one style with the page's other HTML
    widgets: a form has about 90 of them, and each model of its own is one more for the
    browser to create when the page opens (a third of the models of a form). The shared ones
    refuse changes; a widget whose layout changes (hidden, shown) is given its own.
    """

    def __init__(self, value: Any = None, **kwargs: Any) -> None:
        if value is not None:
            kwargs["value"] = value
        kwargs.setdefault("layout", _shared_default("layout"))
        kwargs.setdefault("style", _shared_default("style"))
        super().__init__(**kwargs)

    @validate("value")
    def _markup_only(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value and not isinstance(value, Markup):
            raise TypeError(f"an HTML widget of the app takes Markup (jcmwb.app.markup.html), not {type(value).__name__}: {str(value)[:60]!r}")
        return value


def display_html(markup: Markup) -> None:
    """Show markup in the notebook's output (the page's style sheet and scripts)."""
    from IPython import display as ipython_display

    if not isinstance(markup, Markup):
        raise TypeError("display_html takes Markup")
    ipython_display.display(ipython_display.HTML(str(markup)))


def chart_text(text: object) -> str:
    """A text shown literally on a matplotlib chart: a pair of ``$`` would start mathtext.

    Outside mathtext matplotlib shows ``\\$`` as ``$`` and every other character as it is.
    """
    return str(text).replace("$", r"\$")


# The media type of each kind of file the app offers for download (a run's sheet, notebook
# report and receipt, the period file; a project's ledger, chart and documents).
MIME = {
    ".csv": "text/csv",
    ".html": "text/html",
    ".json": "application/json",
    ".md": "text/markdown",
    ".png": "image/png",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".yaml": "application/x-yaml",
}


def download_item(key: str, path: Path, label: str) -> Markup:
    """A list item linking to the file itself (a data URI: nothing is served from the work folder).

    The file name and label are escaped for the page; the URI is base64 under a fixed media
    type, so nothing from the file reaches the attribute unescaped. CSS class ``jcmwb-download-<key>``.
    """
    uri = f"data:{MIME.get(path.suffix, 'application/octet-stream')};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return html("<li><a class='jcmwb-download jcmwb-download-{key}' download='{name}' href='{uri}'>{label}</a></li>", key=key, name=path.name, uri=uri, label=label)
