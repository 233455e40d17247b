"""The app without a browser: the form built from every spec, its checks, the placement and
wording of messages, the monitoring-period file it writes, the settings of the server.

Widgets work without a kernel (their messages go nowhere), so the form is driven here
by setting widget values, as the browser would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from jcmwb.app.checks import GENERAL, _candidates, first_outside, locate, parse_number, plain
from jcmwb.app.form import parse_points, whole_months
from jcmwb.app.labels import html_symbol, t
from jcmwb.app.page import Landing, MethodologyPage
from jcmwb.app.results import downloads_html, headline_html, monthly_chart, quality_html, trace_html, values_html
from jcmwb.app.server import AppSettings, voila_config
from jcmwb.app.session import Session, safe_name
from jcmwb.cli import build_parser
from jcmwb.engine.compute import calculate
from jcmwb.engine.errors import DataError, InputError
from jcmwb.engine.numbers import format_number
from jcmwb.engine.spec import catalogue, load_spec

ROOT = Path(__file__).resolve().parent.parent
TH_EXAMPLE = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"


def page(spec_id: str, tmp_path: Path, lang: str = "en") -> MethodologyPage:
    return MethodologyPage(load_spec(spec_id), AppSettings(work=tmp_path / "work"), lang)


# -- labels ---------------------------------------------------------------------------------
def test_symbols_print_with_subscripts() -> None:
    assert html_symbol("EG_{i,p}") == "EG<sub>i,p</sub>"
    assert html_symbol("\\sum_i EG_{i,p}") == "Σ<sub>i</sub> EG<sub>i,p</sub>"
    assert html_symbol("ER_p") == "ER<sub>p</sub>"


# -- checks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "1,234", "abc", "nan", "inf"])
def test_numbers_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_numbers_read() -> None:
    assert parse_number(" 6.30 ") == 6.3 and parse_number("-0.5") == -0.5 and parse_number("1e3") == 1000


def test_where_candidates() -> None:
    assert _candidates("monitored.X.calibration[0].date") == ["monitored.X.calibration[0].date", "monitored.X.calibration[0]", "monitored.X.calibration", "monitored.X", "monitored"]


def test_messages_go_to_their_field(tmp_path: Path) -> None:
    slots = {"monitored.EG_i_p", "monitored.EG_i_p.data", "monitored.EG_i_p.unit", "fixed.COP_PJ_i", "period", GENERAL}
    data = (tmp_path / "gen.csv").resolve()
    files = {data: "EG_i_p"}
    assert locate(InputError("x", where="monitored.EG_i_p.unit"), slots, files) == ("monitored.EG_i_p.unit", "")
    assert locate(InputError("x", where="fixed.COP_PJ_i.values.CH-1"), slots, files) == ("fixed.COP_PJ_i", "values.CH-1")
    assert locate(DataError("not a number", file=str(data), where="row 12, column value"), slots, files) == ("monitored.EG_i_p.data", "row 12, column value")
    assert locate(InputError("x", where="period.start"), slots, files) == ("period", "start")
    assert locate(InputError("x", file="/elsewhere.csv", where="row 1"), slots, files) == (GENERAL, "row 1")


def test_message_in_plain_words(tmp_path: Path) -> None:
    data = (tmp_path / "upload-1.csv").resolve()
    exc = DataError("not a number", file=str(data), where="row 12, column value", expected="a number", found="'abc'")
    text = plain(exc, rest="row 12, column value", file_names={data: "my meter data.csv"})
    assert text == "my meter data.csv, row 12, column value: Not a number. Expected a number; found 'abc'."
    period = tmp_path / "p.yaml"
    exc = InputError("unit of the wrong dimension", file=str(period), where="monitored.X.unit", expected="a unit convertible to MWh", found="'kg'")
    assert plain(exc, period_file=period) == "Unit of the wrong dimension. Expected a unit convertible to MWh; found 'kg'."
    assert str(tmp_path) not in plain(exc, period_file=period)


def test_first_row_outside_the_period(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("timestamp,point,value\n2021-01-01T00:00:00,A,1\n2021-01-31T23:00:00,A,1\n2021-02-01T00:00:00,A,1\n")
    assert first_outside(path, "interval", dt.date(2021, 1, 1), dt.date(2021, 1, 31)) == (4, "2021-02-01T00:00:00")
    assert first_outside(path, "register", dt.date(2021, 1, 1), dt.date(2021, 1, 31)) is None  # the closing reading
    assert first_outside(path, "interval", dt.date(2021, 1, 1), dt.date(2021, 2, 28)) is None


def test_points_and_months() -> None:
    assert parse_points("PV-1: block 1: west\n\nPV-2\n") == ({"PV-1": "block 1: west", "PV-2": ""}, [])
    assert parse_points("PV-1\nPV-1: again\n: x") == ({"PV-1": ""}, [("duplicate_point", "PV-1"), ("bad_point_line", "3")])
    assert whole_months(dt.date(2021, 12, 2), dt.date(2022, 3, 31)) == ["2022-01", "2022-02", "2022-03"]


# -- the form built from every spec -----------------------------------------------------------
@pytest.mark.parametrize("spec", catalogue(), ids=lambda s: s.id)
def test_every_methodology_gets_a_form_in_both_languages(spec, tmp_path: Path) -> None:
    app = MethodologyPage(spec, AppSettings(work=tmp_path), "en")
    form = app.form
    monitored = [n for n, p in spec.parameters.items() if p.kind == "monitored"]
    assert set(form.monitored) == set(monitored)
    assert {f"monitored.{n}.data" for n in monitored} <= set(form.slots.widgets)
    assert {f"eligibility.{c.id}" for c in spec.eligibility} <= set(form.slots.widgets)
    english = [w.value for w, attr, _ in form.texts._items if attr == "value"]
    form.set_language("ja")
    japanese = [w.value for w, attr, _ in form.texts._items if attr == "value"]
    assert japanese != english
    for name in monitored:  # the spec's own Japanese descriptions
        text = spec.parameters[name].description.ja
        if text:
            assert any(text in v for v in japanese), name
    assert form.check()  # an empty form is not calculated


def test_empty_fields_are_named(tmp_path: Path) -> None:
    problems = {p.key: p.text for p in page("ID_AM002", tmp_path).form.check()}
    assert problems["project.id"] == "Required."
    assert problems["period.start"] == "Required."
    assert problems["monitored.EC_PJ_i_p.data"].startswith("Upload the data file")


def test_alternatives_decide_what_is_asked(tmp_path: Path) -> None:
    form = page("TH_AM016", tmp_path).form
    active = {f.name for f in form.active_monitored()}
    form.alternatives["EC_PJ_i_p"].value = "rated"
    rated = {f.name for f in form.active_monitored()}
    assert active != rated and "OD_i_p" in rated
    assert "P_PJ_i" in {f.name for f in form.active_fixed()}


def _typed_th(tmp_path: Path, mode: str) -> MethodologyPage:
    app = page("TH_AM001", tmp_path)
    form = app.form
    form.project_id.value = "TYPED"
    form.start_picker.value = dt.date(2021, 1, 1)
    form.end_picker.value = dt.date(2021, 3, 31)
    field = form.monitored["EG_i_p"]
    field.mode.value = mode
    field.unit.value = "kWh"
    field.points.value = "PV-1: block 1\nPV-2: block 2"
    return app


def test_typed_monthly_totals_become_a_monthly_file(tmp_path: Path) -> None:
    app = _typed_th(tmp_path, "monthly")
    field = app.form.monitored["EG_i_p"]
    assert sorted(field.grid.cells) == [(m, p) for m in ("2021-01", "2021-02", "2021-03") for p in ("PV-1", "PV-2")]
    for n, cell in enumerate(field.grid.cells.values()):
        cell.value = str(1000 * (n + 1))
    assert app.form.check() == []
    mapping = app.form.period_mapping()
    assert mapping["monitored"]["EG_i_p"]["format"] == "monthly"
    period_file = app.session.write_period(mapping)
    result = calculate(period_file)
    assert result.values["EG_p"] == pytest.approx(21.0)  # 21,000 kWh
    assert result.monthly("EG_i_p")["2021-02"] == pytest.approx(7.0)
    assert yaml.safe_load(period_file.read_text())["monitored"]["EG_i_p"]["points"] == {"PV-1": "block 1", "PV-2": "block 2"}


def test_typed_period_totals(tmp_path: Path) -> None:
    app = _typed_th(tmp_path, "totals")
    field = app.form.monitored["EG_i_p"]
    field.totals.inputs["PV-1"].value = "1,5"
    problems = app.form.check()
    assert [p.key for p in problems] == ["monitored.EG_i_p.values", "monitored.EG_i_p.values"]
    assert "Not a number: '1,5'" in problems[0].text
    field.totals.inputs["PV-1"].value = "1500"
    field.totals.inputs["PV-2"].value = "500"
    result = calculate(app.session.write_period(app.form.period_mapping()))
    assert result.values["EG_p"] == pytest.approx(2.0)


def test_upload_fills_points_and_fixed_values_per_unit(tmp_path: Path) -> None:
    app = page("ID_AM002", tmp_path)
    data = ROOT / "data" / "examples" / "ID_AM002" / "chiller-2021-register.csv"
    field = app.form.monitored["EC_PJ_i_p"]
    field._receive({"name": data.name, "content": data.read_bytes(), "size": data.stat().st_size})
    assert field.format.value == "register"
    assert field.point_ids() == ["CH-1", "CH-2"]
    assert list(app.form.fixed["COP_PJ_i"].values.inputs) == ["CH-1", "CH-2"]
    assert list(field.multipliers.inputs) == ["CH-1", "CH-2"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_register_multipliers_are_asked_never_assumed(tmp_path: Path, lang: str) -> None:
    """Issue 12 item 16 in the form: a multiplier left at an assumed 1 gave ER 49 instead of 146."""
    app = page("ID_AM002", tmp_path, lang)
    data = ROOT / "data" / "examples" / "ID_AM002" / "chiller-2021-register.csv"
    field = app.form.monitored["EC_PJ_i_p"]
    field._receive({"name": data.name, "content": data.read_bytes(), "size": data.stat().st_size})
    boxes = field.multipliers.inputs
    assert [box.value for box in boxes.values()] == ["", ""]
    assert boxes["CH-1"].placeholder == t("multiplier_placeholder", lang) != ""
    key = "monitored.EC_PJ_i_p.multipliers"

    def said() -> list[str]:
        return [p.text for p in app.form.check() if p.key == key]

    assert said() == [f"CH-1: {t('missing_value_for', lang, member='CH-1')}", f"CH-2: {t('missing_value_for', lang, member='CH-2')}"]
    boxes["CH-1"].value, boxes["CH-2"].value = "0", "-10"
    assert said() == [f"CH-1: {t('multiplier_positive', lang, found='0')}", f"CH-2: {t('multiplier_positive', lang, found='-10')}"]
    boxes["CH-1"].value, boxes["CH-2"].value = "10", "1"
    assert said() == []
    assert app.form.monitored["EC_PJ_i_p"].entry()["multipliers"] == {"CH-1": 10.0, "CH-2": 1.0}


def test_xlsx_upload(tmp_path: Path) -> None:
    import pandas as pd

    monthly = ROOT / "data" / "examples" / "ID_AM002" / "chiller-2021-monthly.csv"
    book = tmp_path / "chillers.xlsx"
    pd.read_csv(monthly, dtype=str).to_excel(book, index=False)
    app = page("ID_AM002", tmp_path)
    form = app.form
    form.project_id.value = "XLSX"
    form.start_picker.value = dt.date(2021, 1, 1)
    form.end_picker.value = dt.date(2021, 12, 31)
    field = form.monitored["EC_PJ_i_p"]
    field._receive({"name": book.name, "content": book.read_bytes(), "size": book.stat().st_size})
    assert field.format.value == "monthly" and field.point_ids() == ["CH-1", "CH-2"]
    for name, values in (("COP_PJ_i", ("6.3", "6.45")), ("Cap_PJ_i", ("500", "800"))):
        for text, box in zip(values, form.fixed[name].values.inputs.values()):
            box.value = text
        form.fixed[name].source.value = "specification sheet"
    assert form.check() == []
    result = calculate(app.session.write_period(form.period_mapping()))
    assert result.er == calculate(ROOT / "data" / "examples" / "ID_AM002" / "EXAMPLE-ID001_2021.yaml").er


def test_too_large_upload_is_refused_with_its_size(tmp_path: Path) -> None:
    app = page("TH_AM001", tmp_path)
    field = app.form.monitored["EG_i_p"]
    field._receive({"name": "huge.csv", "content": b"", "size": 300 * 1024 * 1024})
    message = app.form.slots.widgets["monitored.EG_i_p.data"].value
    assert "huge.csv is 300.0 MB, more than the 200.0 MB" in message
    assert field.file is None


def test_callbacks_never_show_a_traceback(tmp_path: Path) -> None:
    app = page("TH_AM001", tmp_path)
    app.guard(lambda: 1 / 0)
    message = app.form.slots.widgets[GENERAL].value
    assert "Something went wrong inside the app (ZeroDivisionError)" in message and "Traceback" not in message


def test_landing_lists_the_catalogue() -> None:
    landing = Landing("ja")
    html = landing.table.value
    assert "?id=TH_AM001&amp;lang=ja" in html and "太陽光発電システムの導入" in html


# -- session and results --------------------------------------------------------------------
def test_session_files(tmp_path: Path) -> None:
    assert safe_name("../../etc/passwd") == "passwd" and safe_name("my data (1).csv") == "my_data_1_.csv"
    session = Session(tmp_path)
    a = session.save_upload("A", "data.csv", b"1")
    b = session.save_upload("B", "data.csv", b"2")
    assert a != b and a.read_bytes() == b"1" and b.name == "B-data.csv"
    session.save_upload("A", "other.csv", b"3")
    assert not a.exists()


def test_results_say_how_each_number_was_obtained(tmp_path: Path) -> None:
    result = calculate(TH_EXAMPLE)
    assert "3,438" in headline_html(result, "en") and "PROVISIONAL" in headline_html(result, "en")
    assert "期間pの排出削減量" in values_html(result, "ja")
    tree = trace_html(result, "RE_p", "en")
    assert "RE_p = sum(EG_i_p, i) * EF_RE" in tree and "generation-2021.csv rows 2-69956" in tree and "96 missing 15-minute values" in tree
    assert "4 gap(s)" in quality_html(result, "en")
    assert monthly_chart(result, "EG_i_p", "ja").startswith(b"\x89PNG")
    out = tmp_path / "output"
    out.mkdir()
    (out / "MRS.xlsx").write_bytes(b"sheet")
    links = downloads_html(out, TH_EXAMPLE, "en")
    assert "download='MRS.xlsx'" in links and "base64,c2hlZXQ=" in links and f"download='{TH_EXAMPLE.name}'" in links


# -- the server -------------------------------------------------------------------------------
def test_server_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = AppSettings(port=9999, max_upload_mb=64, work=tmp_path)
    for key, value in settings.environment().items():
        monkeypatch.setenv(key, value)
    assert AppSettings.from_environment() == AppSettings(port=9999, max_upload_mb=64, work=tmp_path.resolve())
    config = voila_config(AppSettings())
    assert config.Voila.ip == "127.0.0.1" and config.Voila.port_retries == 0
    assert config.VoilaConfiguration.show_tracebacks is False
    assert config.Voila.tornado_settings["websocket_max_message_size"] > 200 * 1024 * 1024
    assert config.MappingKernelManager.cull_idle_timeout > 0 and config.MappingKernelManager.cull_interval > 0
    assert config.VoilaExecutor.timeout > 0
    assert config.VoilaConfiguration.file_allowlist == []


def test_cli_has_the_app_verb() -> None:
    args = build_parser().parse_args(["app", "--port", "8900", "--max-upload-mb", "80"])
    assert args.verb == "app" and args.port == 8900 and args.max_upload_mb == 80


def test_app_words_are_formatted() -> None:
    # The page formats the seconds with format_number (one decimal, as every number shown)
    seconds = format_number(2.04, 1, grouping=False)
    assert t("done", "en", seconds=seconds) == "Done in 2.0 s."
    assert t("done", "ja", seconds=seconds) == "2.0 秒で完了しました。"
