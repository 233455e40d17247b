"""``report.html``: the executed notebook without its code, readable offline.

nbconvert's HTML templates load MathJax, require.js and mermaid from a CDN, so offline the
equations of the notebook showed as raw LaTeX. Here the equations of the Markdown cells
are turned into MathML when the report is written (``latex2mathml``, pure Python), which
browsers draw natively, and the template loads no script from anywhere: the file is the
whole report. The notebook of record itself is left as papermill wrote it (LaTeX, for
Jupyter's own renderer); only its HTML rendering changes.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

# Display math first ($$...$$), then inline math ($...$, not an escaped \$).
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$(?!\$)")

# The lab template without the blocks that fetch scripts from a CDN (MathJax, require.js for
# widgets, mermaid) and without widget state: the report holds text, tables and images only.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""


def mathml(latex: str, *, block: bool) -> str:
    """One LaTeX equation as MathML (``<math>``), block or inline."""
    from latex2mathml.converter import convert

    # No xmlns: HTML knows <math> without it, and nbconvert's heading filter, which parses a
    # heading as XML, would otherwise write it back as <ns0:math>, which no browser draws.
    return convert(latex.strip(), display="block" if block else "inline").replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)


def markdown_with_mathml(text: str) -> str:
    """Markdown whose ``$$...$$`` and ``$...$`` equations are MathML."""
    text = _DISPLAY.sub(lambda m: "\n" + mathml(m.group(1), block=True) + "\n", text)
    return _INLINE.sub(lambda m: mathml(m.group(1), block=False), text)


def report_html(book: Any) -> str:
    """The HTML report of an executed notebook (an ``nbformat`` node): no code, no prompts, no CDN."""
    import jinja2
    from nbconvert import HTMLExporter

    book = copy.deepcopy(book)
    for cell in book.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_with_mathml(cell.source)
    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"jcmwb_report.html.j2": TEMPLATE})], template_file="jcmwb_report.html.j2")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(book)
    return body


def write_report(notebook: Path, target: Path) -> None:
    """Write ``target`` (report.html) from the executed notebook file ``notebook``."""
    import nbformat

    target.write_text(report_html(nbformat.read(str(notebook), as_version=4)), encoding="utf-8")
