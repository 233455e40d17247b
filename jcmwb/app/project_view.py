"""The app's project view (``/?project=NAME``): choose a project folder, see its cycle.

The page lists the project folders the app knows (the bundled examples in
``data/examples/projects/`` and the folders under ``<work>/projects/``), and for the chosen one
shows what ``jcmwb project`` computes, without running the period notebooks: the periods with
ER_p, credits by party and by calendar year, the warnings, the ledger, its chart, the SD
answers per period, the authorization records, and the project outputs to download
(``ledger.csv``, ``ledger.xlsx``, the summaries, ``MPS.xlsx``), written by the same renderers
as ``jcmwb project`` (``jcmwb.run.project.write_project_outputs``). The MRS of record of a
period comes from ``jcmwb project`` itself (docs/cycle.md).

Texts are English only for now. Every text from an input reaches the page through
``jcmwb.app.markup.html``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import ipywidgets as w

from jcmwb.app.markup import HTML, Markup, download_item, html, join
from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.numbers import format_number
from jcmwb.engine.spec import ROOT
from jcmwb.run.project import all_warnings, issuance_warnings, prepare, write_project_outputs

EXAMPLE_PROJECTS = ROOT / "data" / "examples" / "projects"


def project_folders(work: Path | None = None) -> dict[str, Path]:
    """The project folders to choose from: name -> folder (the examples, then ``<work>/projects/*``)."""
    found: dict[str, Path] = {}
    for base in (EXAMPLE_PROJECTS, Path(work) / "projects" if work else None):
        if base is None or not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if folder.is_dir() and (folder / "project.yaml").is_file():
                found.setdefault(folder.name, folder)
    return found


def _table(head: list[str], rows: list[list[Any]], cls: str) -> Markup:
    header = join("", [html("<th>{h}</th>", h=h) for h in head])
    body = join("", [html("<tr>{cells}</tr>", cells=join("", [html("<td>{c}</td>", c=c) for c in row])) for row in rows])
    return html("<table class='jcmwb-table {cls}'><tr>{header}</tr>{body}</table>", cls=cls, header=header, body=body)


def summary_html(project: Any, issuances: list[Any]) -> Markup:
    """The project's periods, ledger, SD answers and authorization records, as escaped HTML."""
    info = project.info
    parts = [
        html(
            "<div class='jcmwb-section'>{id}: {title}</div><div>Methodology JCM_{m}; partner country {country}; {n} monitoring period(s); {total} tCO2 in all.</div>",
            id=info.project_id,
            title=info.title,
            m=info.methodology,
            country=info.party_name,
            n=len(issuances),
            total=format_number(sum(i.er for i in issuances), 0),
        )
    ]
    warnings = all_warnings(project, issuances)
    if warnings:
        items = join("", [html("<li>{w}</li>", w=x) for x in warnings])
        parts.append(html("<div class='jcmwb-provisional-box jcmwb-project-warnings'><b>Warnings</b><ul>{items}</ul></div>", items=items))
    rows = []
    for i in issuances:
        rows.append(
            [
                i.notice,
                i.cycle.file.name,
                f"JCM_{i.period.spec.id}_ver{i.version}",
                f"{format_number(i.er, 0)} {i.unit}",
                ", ".join(f"{p} {format_number(n, 0)}" for p, n in i.parties.items()),
                ", ".join(f"{v.year}: {format_number(v.credits, 0)}" for v in i.vintages),
            ]
        )
    parts.append(html("<div class='jcmwb-section'>Monitoring periods</div>{t}", t=_table(["period", "file", "methodology", "ER_p", "by party", "by calendar year"], rows, "jcmwb-project-periods")))
    ledger = [[r["period_start"], r["period_end"], r["year"], r["party"], format_number(r["credits"], 0)] for i in issuances for r in i.ledger_rows()]
    parts.append(html("<div class='jcmwb-section'>Ledger</div>{t}", t=_table(["period_start", "period_end", "year", "party", "credits"], ledger, "jcmwb-project-ledger")))
    if info.sd_list is not None:
        sd_rows = []
        for i in issuances:
            answers = i.cycle.sd_answers(info)
            identified = [f"{n}: {a.comment}" for n, a in answers.items() if a.identified]
            missing = [item.number for item in info.sd_list.items if item.number not in answers]
            sd_rows.append([i.notice, str(len(answers)), "; ".join(identified) or "none", ", ".join(missing) or "none"])
        parts.append(
            html(
                "<div class='jcmwb-section'>Sustainable development (check list of the {name})</div>{t}",
                name=info.sd_list.name,
                t=_table(["period", "items answered", "identified (comment)", "not answered"], sd_rows, "jcmwb-project-sd"),
            )
        )
    records = [i for i in issuances if i.authorization is not None]
    if records:
        auth_rows = [
            [a.authorization_id, a.party, f"{format_number(a.quantity, 0)} {a.unit}", "; ".join(v for v, _ in a.vintages), a.acquiring_entity or "not given", a.status]
            for a in (i.authorization for i in records)
        ]
        parts.append(
            html(
                "<div class='jcmwb-section'>Authorization records</div>{t}",
                t=_table(["Authorization ID", "Party", "quantity of ITMOs", "vintage", "entity acquiring", "status"], auth_rows, "jcmwb-project-authorizations"),
            )
        )
    return join("", parts)


def downloads_html(folder: Path) -> Markup:
    links = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        key = path.stem.split("_")[0] if "_" in path.stem else path.stem
        links.append(download_item("project-" + key + path.suffix.replace(".", "-"), path, path.name))
    return html("<div class='jcmwb-section'>Downloads</div><ul class='jcmwb-project-downloads'>{links}</ul>", links=join("", links))


class ProjectPage:
    """Choose a project folder; see its periods, ledger, chart, SD answers, authorization records; download."""

    def __init__(self, name: str, settings: Any, lang: str = "en") -> None:
        self.settings = settings
        self.lang = lang
        self.folders = project_folders(getattr(settings, "work", None))
        self.choice = w.Dropdown(options=list(self.folders), value=name if name in self.folders else None, description="Project")
        self.choice.add_class("jcmwb-project-choice")
        self.show = w.Button(description="Show the project", button_style="primary")
        self.show.add_class("jcmwb-project-show")
        self.status = HTML()
        self.status.add_class("jcmwb-status")
        self.body = HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.chart.add_class("jcmwb-project-chart")
        self.downloads = HTML()
        self.out: Path | None = None  # the folder of the outputs shown (this page's own)
        title = HTML(html("<div class='jcmwb-title'>Project cycle</div><div class='jcmwb-hint'>{hint}</div>", hint="Every period of a project folder, as jcmwb project computes it: credits by period, calendar year and party, SD answers and authorization records (docs/cycle.md)."))
        self.widget = w.VBox([title, w.HBox([self.choice, self.show]), self.status, self.body, self.chart, self.downloads])
        self.widget.add_class("jcmwb-app")
        self.widget.add_class("jcmwb-project-page")
        self.show.on_click(lambda _: self.guard(self.render))
        if name and name not in self.folders:
            self._status("failed", f"unknown project folder {name!r}; choose one of: {', '.join(self.folders) or 'none'}")
        elif name:
            self.guard(self.render)
        else:
            self._status("choose", "Choose a project folder and press Show the project.")

    def _status(self, key: str, text: str) -> None:
        self.status.value = html("<div class='jcmwb-hint jcmwb-status-{key}'>{text}</div>", key=key, text=text)

    def guard(self, function: Any) -> None:
        """A failure is a plain message on the page, never a traceback (that goes to the server log)."""
        self.show.disabled = True
        try:
            function()
        except JcmwbError as exc:
            self.body.value = html("")
            self.chart.value = b""
            self.downloads.value = html("")
            self._status("failed", exc.line())
        except Exception as exc:  # a bug: said plainly, logged in full
            traceback.print_exc(file=sys.stderr)
            self._status("failed", f"internal error ({type(exc).__name__}); please report it")
        finally:
            self.show.disabled = False

    def render(self) -> None:
        name = self.choice.value
        if not name:
            self._status("choose", "Choose a project folder and press Show the project.")
            return
        self._status("working", f"calculating {name} ...")
        project, issuances, plan = prepare(self.folders[name])
        work = Path(getattr(self.settings, "work", tempfile.gettempdir()))
        work.mkdir(parents=True, exist_ok=True)
        if self.out is not None:  # the outputs of the project shown before: this page wrote them
            shutil.rmtree(self.out, ignore_errors=True)
        out = self.out = Path(tempfile.mkdtemp(prefix="project-", dir=work))
        write_project_outputs(project, issuances, plan, all_warnings(project, issuances), out)
        self.body.value = summary_html(project, issuances)
        self.chart.value = (out / "ledger.png").read_bytes()
        self.downloads.value = downloads_html(out)
        shown = sum(len(issuance_warnings(project, i)) for i in issuances)
        self._status("done", f"{name}: {len(issuances)} period(s) calculated" + (f"; {shown} warning(s), listed below" if shown else ""))
