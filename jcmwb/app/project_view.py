"""The app's project view (``/?project=NAME``): choose or upload a project folder, see its cycle.

The page lists the project folders the app knows (the bundled examples in
``data/examples/projects/`` and the folders under ``<work>/projects/``), and takes a project
folder uploaded as a zip (project.yaml, the monitoring-period files and their data): unpacked
into the page's own work folder by ``jcmwb.app.session.unpack_zip``, which refuses the whole
zip (and writes nothing) for an absolute path, a ``..``, a symbolic link, too many files or too
many bytes unpacked; a project whose files read a file outside its folder is refused too.
For the chosen or uploaded project it shows what ``jcmwb project`` computes, with the same
strict loader and without running the period notebooks: the periods with ER_p, credits by
party and by calendar year, the warnings, the ledger, its chart, the SD answers per period,
the authorization records, and the project outputs to download (``ledger.csv``,
``ledger.xlsx``, the summaries, ``MPS.xlsx``), written by the same renderers as
``jcmwb project`` (``jcmwb.run.project.write_project_outputs``). The MRS of record of a period
comes from ``jcmwb project`` itself (docs/cycle.md).

Every word is the app's (``jcmwb.app.labels``, in Japanese on ``lang=ja`` pages), the
engine's sentences are said again in Japanese (``jcmwb.app.i18n.engine_text``), and every
text from an input reaches the page through ``jcmwb.app.markup.html``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import ipywidgets as w

from jcmwb.app.checks import plain
from jcmwb.app.i18n import engine_text
from jcmwb.app.labels import t
from jcmwb.app.markup import HTML, Markup, download_item, html, join
from jcmwb.app.session import MAX_ZIP_FILES, Session, ZipRefused, safe_name
from jcmwb.engine.errors import JcmwbError
from jcmwb.engine.files import size_text
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


def _heads(lang: str, *keys: str) -> list[str]:
    return [t(key, lang) for key in keys]


def _period_text(issuance: Any, lang: str) -> str:
    # The notice's dates (01/Oct/2022) name English months: a Japanese page gives them as ISO dates.
    if lang == "en":
        return issuance.notice
    return t("pv_period_dates", lang, start=issuance.period.start.isoformat(), end=issuance.period.end.isoformat())


def said_warnings(project: Any, issuances: list[Any], lang: str) -> list[str]:
    """``jcmwb.run.project.all_warnings`` in ``lang``: each sentence of the engine said in it, the period's label kept as it is."""
    out = [engine_text(x, lang) for x in project.warnings]
    for issuance in issuances:
        out.extend(f"{issuance.label}: {engine_text(x, lang)}" for x in issuance.warnings if x not in project.warnings)
    return list(dict.fromkeys(out))


def summary_html(project: Any, issuances: list[Any], lang: str = "en") -> Markup:
    """The project's periods, ledger, SD answers and authorization records, as escaped HTML."""
    info = project.info
    total = format_number(sum(i.er for i in issuances), 0)
    parts = [
        html("<div class='jcmwb-section'>{id}: {title}</div>", id=info.project_id, title=info.title),
        html("<div>{text}</div>", text=t("pv_summary", lang, m=info.methodology, country=info.party_name, n=len(issuances), total=total)),
    ]
    warnings = said_warnings(project, issuances, lang)
    if warnings:
        items = join("", [html("<li>{w}</li>", w=x) for x in warnings])
        parts.append(html("<div class='jcmwb-provisional-box jcmwb-project-warnings'><b>{title}</b><ul>{items}</ul></div>", title=t("pv_warnings", lang), items=items))
    rows = []
    for i in issuances:
        rows.append(
            [
                _period_text(i, lang),
                i.cycle.file.name,
                f"JCM_{i.period.spec.id}_ver{i.version}",
                f"{format_number(i.er, 0)} {i.unit}",
                t("list_separator", lang).join(f"{p} {format_number(n, 0)}" for p, n in i.parties.items()),
                t("list_separator", lang).join(f"{v.year}: {format_number(v.credits, 0)}" for v in i.vintages),
            ]
        )
    head = _heads(lang, "pv_col_period", "pv_col_file", "pv_col_methodology", "pv_col_er", "pv_col_by_party", "pv_col_by_year")
    parts.append(html("<div class='jcmwb-section'>{title}</div>{t}", title=t("pv_periods", lang), t=_table(head, rows, "jcmwb-project-periods")))
    ledger = [[r["period_start"], r["period_end"], r["year"], r["party"], format_number(r["credits"], 0)] for i in issuances for r in i.ledger_rows()]
    head = _heads(lang, "pv_col_start", "pv_col_end", "pv_col_year", "pv_col_party", "pv_col_credits")
    parts.append(html("<div class='jcmwb-section'>{title}</div>{t}", title=t("pv_ledger", lang), t=_table(head, ledger, "jcmwb-project-ledger")))
    if info.sd_list is not None:
        sd_rows = []
        for i in issuances:
            answers = i.cycle.sd_answers(info)
            identified = [f"{n}: {a.comment}" for n, a in answers.items() if a.identified]
            missing = [item.number for item in info.sd_list.items if item.number not in answers]
            sd_rows.append([_period_text(i, lang), str(len(answers)), "; ".join(identified) or t("pv_none", lang), ", ".join(missing) or t("pv_none", lang)])
        head = _heads(lang, "pv_col_period", "pv_col_answered", "pv_col_identified", "pv_col_not_answered")
        parts.append(html("<div class='jcmwb-section'>{title}</div>{t}", title=t("pv_sd", lang, name=info.sd_list.name), t=_table(head, sd_rows, "jcmwb-project-sd")))
    records = [i for i in issuances if i.authorization is not None]
    if records:
        auth_rows = [
            [
                a.authorization_id,
                a.party,
                f"{format_number(a.quantity, 0)} {a.unit}",
                "; ".join(v for v, _ in a.vintages),
                a.acquiring_entity or t("pv_not_given", lang),
                a.status,
            ]
            for a in (i.authorization for i in records)
        ]
        head = _heads(lang, "pv_col_authorization", "pv_col_auth_party", "pv_col_quantity", "pv_col_vintage", "pv_col_entity", "pv_col_status")
        parts.append(html("<div class='jcmwb-section'>{title}</div>{t}", title=t("pv_authorizations", lang), t=_table(head, auth_rows, "jcmwb-project-authorizations")))
    return join("", parts)


def downloads_html(folder: Path, lang: str = "en") -> Markup:
    links = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        key = path.stem.split("_")[0] if "_" in path.stem else path.stem
        links.append(download_item("project-" + key + path.suffix.replace(".", "-"), path, path.name))
    return html("<div class='jcmwb-section'>{title}</div><ul class='jcmwb-project-downloads'>{links}</ul>", title=t("pv_downloads", lang), links=join("", links))


def check_inside(project: Any, folder: Path) -> None:
    """An uploaded project reads only its own files: a period file naming ``/etc/...`` or
    ``../../x`` as its data would show a file of the server in the page."""
    root = folder.resolve()
    for path in project.inputs():
        if root not in Path(path).resolve().parents:
            raise ZipRefused("zip_outside", path=str(path))


class ProjectPage:
    """Choose or upload a project folder; see its periods, ledger, chart, SD answers, authorization records; download."""

    def __init__(self, name: str, settings: Any, lang: str = "en") -> None:
        self.settings = settings
        self.lang = lang
        work = getattr(settings, "work", None)
        self.folders = project_folders(work)
        self.uploaded: set[str] = set()  # names of the folders unpacked from a zip by this page
        self.session = Session(work if work is not None else tempfile.gettempdir())
        self.max_bytes = 2 * int(getattr(settings, "max_upload_bytes", 200 * 2**20))
        self.choice = w.Dropdown(options=list(self.folders), value=name if name in self.folders else None, description=t("pv_choice", lang))
        self.choice.add_class("jcmwb-project-choice")
        self.show = w.Button(description=t("pv_show", lang), button_style="primary")
        self.show.add_class("jcmwb-project-show")
        self.upload = w.FileUpload(accept=".zip", multiple=False, description=t("pv_upload", lang), layout=w.Layout(width="auto"))
        self.upload.add_class("jcmwb-project-upload")
        self.upload.observe(lambda change: self.guard(self.receive, change["new"]), "value")
        self.status = HTML()
        self.status.add_class("jcmwb-status")
        self.body = HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.chart.add_class("jcmwb-project-chart")
        self.downloads = HTML()
        self.out: Path | None = None  # the folder of the outputs shown (this page's own)
        title = HTML(html("<div class='jcmwb-title'>{title}</div><div class='jcmwb-hint'>{hint}</div>", title=t("pv_title", lang), hint=t("pv_hint", lang)))
        upload_hint = HTML(html("<div class='jcmwb-hint'>{hint}</div>", hint=t("pv_upload_hint", lang, size=size_text(self.max_bytes), files=MAX_ZIP_FILES)))
        self.widget = w.VBox([title, w.HBox([self.choice, self.show]), upload_hint, self.upload, self.status, self.body, self.chart, self.downloads])
        self.widget.add_class("jcmwb-app")
        self.widget.add_class("jcmwb-project-page")
        self.show.on_click(lambda _: self.guard(self.render))
        if name and name not in self.folders:
            self._status("failed", t("pv_unknown", lang, name=name, names=", ".join(self.folders) or t("pv_none", lang)))
        elif name:
            self.guard(self.render)
        else:
            self._status("choose", t("pv_choose", lang))

    def _status(self, key: str, text: str) -> None:
        self.status.value = html("<div class='jcmwb-hint jcmwb-status-{key}'>{text}</div>", key=key, text=text)

    def _clear(self) -> None:
        self.body.value = html("")
        self.chart.value = b""
        self.downloads.value = html("")

    def guard(self, function: Any, *args: Any) -> None:
        """A failure is one plain message on the page, never a traceback (that goes to the server log)."""
        self.show.disabled = True
        try:
            function(*args)
        except ZipRefused as refused:
            self._clear()
            values = {"name": getattr(self, "_zip_name", ""), "limit": size_text(self.max_bytes), **refused.values}
            if refused.key == "zip_too_many":
                values["limit"] = refused.values["limit"]
            self._status("failed", t(refused.key, self.lang, **values))
        except JcmwbError as exc:
            self._clear()
            self._status("failed", plain(exc, lang=self.lang))
        except Exception as exc:  # a bug: said plainly, logged in full
            traceback.print_exc(file=sys.stderr)
            self._status("failed", t("internal_error", self.lang, kind=type(exc).__name__))
        finally:
            self.show.disabled = False

    def receive(self, files: Any) -> None:
        """A project folder uploaded as a zip: unpacked into this page's work folder, checked, shown."""
        if not files:
            return
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        self._zip_name = str(item.get("name") or "project.zip")
        content, size = item.get("content") or b"", int(item.get("size") or 0)
        self.upload.value = ()  # the page keeps the unpacked folder, not the bytes
        if size > len(content) or size > self.settings.max_upload_bytes:
            # Over the upload limit the browser sends no bytes (jcmwb.app.page.GUARD), only the size.
            raise ZipRefused("zip_too_big", size=size_text(size), limit=size_text(self.settings.max_upload_bytes))
        self._status("working", t("pv_unpacking", self.lang, name=self._zip_name))
        folder = self.session.unpack_project(content, max_bytes=self.max_bytes)
        from jcmwb.engine.cycle import load_project

        unpacked = next(p for p in (folder, *folder.parents) if p.parent == self.session.dir.resolve())
        check_inside(load_project(folder), unpacked)
        label = t("pv_uploaded_label", self.lang, name=safe_name(folder.name, "project"), n=len(self.uploaded) + 1)
        self.folders[label] = folder
        self.uploaded.add(label)
        self.choice.options = list(self.folders)
        self.choice.value = label
        self.render()

    def render(self) -> None:
        name = self.choice.value
        if not name:
            self._status("choose", t("pv_choose", self.lang))
            return
        self._status("working", t("pv_working", self.lang, name=name))
        project, issuances, plan = prepare(self.folders[name])
        self.session.dir.mkdir(parents=True, exist_ok=True)
        if self.out is not None:  # the outputs of the project shown before: this page wrote them
            shutil.rmtree(self.out, ignore_errors=True)
        out = self.out = Path(tempfile.mkdtemp(prefix="project-output-", dir=self.session.dir))
        write_project_outputs(project, issuances, plan, all_warnings(project, issuances), out)
        self.body.value = summary_html(project, issuances, self.lang)
        self.chart.value = (out / "ledger.png").read_bytes()
        self.downloads.value = downloads_html(out, self.lang)
        shown = sum(len(issuance_warnings(project, i)) for i in issuances)
        key = "pv_done_warnings" if shown else "pv_done"
        self._status("done", t(key, self.lang, name=name, n=len(issuances), k=shown))
