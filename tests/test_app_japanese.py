"""Japanese, complete (issue 12, item 17; issue 10, item 7): gettext catalog, engine messages, charts.

- every word of the app and every sentence pattern of the engine has a Japanese translation in
  the gettext catalog (``jcmwb/app/locale/ja/LC_MESSAGES/jcmwb.po``), with the same placeholders,
  and the ``.mo`` read at run time is the ``.po`` compiled;
- the notes, warnings, gaps and corrections of every example, and the messages of every
  bad-input fixture, read in Japanese without an English word outside ids, keys and units;
- a Japanese chart draws its glyphs with the CJK font (no "missing glyph" from the font
  machinery, where the Latin font alone draws boxes), even when matplotlib's font cache
  predates the CJK fonts;
- in the browser, a Japanese results page shows no English sentence outside ids and units
  (the spec's texts without a Japanese version are marked, and are the only English left).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import yaml
from app_driver import AppPage, app_server, chromium, chromium_present, fill_from_period
from babel.messages.pofile import read_po
from conftest import ROOT

import jcmwb
from jcmwb.app.checks import plain
from jcmwb.app.i18n import ENGINE, compiled, engine_msgids, engine_text, po_path
from jcmwb.app.labels import WORDS, spec_texts, t
from jcmwb.engine.errors import JcmwbError

EXAMPLES = sorted((ROOT / "data" / "examples").glob("*/*.yaml"))
BAD = ROOT / "tests" / "fixtures" / "bad"
# Words that are names, not sentences: data-file columns and formats, keys of the monitoring-period
# file, file types, and the technical names a Japanese engineer writes in Latin letters too.
TECHNICAL = {
    *"timestamp point value reading unit month date category interval register monthly daily option data values format".split(),
    *"multipliers calibration eligibility fixed monitored points source plausible_max version versions alternatives allocation rounding".split(),
    *"methodology project period participants title partner_country start end".split(),
    *"up down nearest yes no true false on off min h D s".split(),
    *"csv xlsx xls yaml json html ipynb excel zip ole cdf yyyy mm dd hh jcm jcmwb co2 mwh kwh gwh gj tj nm3 usrt kw mw sha".split(),
    *"ct pt cop ncv scada pv ef er re pe ec eg ppm id day days twh gw kv nm lm".split(),
    *"sum max min floor ceil round where".split(),  # the formula language
    *"run verify check papermill".split(),  # commands (jcmwb run, jcmwb verify --receipt) and tools
}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_./%+\-]*")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|“[^”]*”|「[^」]*」")
# A Python exception's own text, quoted by the engine when a reader library fails: not the engine's words.
_EXCEPTION = re.compile(r"[A-Z][A-Za-z]+(?:Error|Exception)[:：][^）)]*")


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The words of ``text`` that are English, not a name: ids, keys, units and quoted values are names."""
    out = []
    for token in _TOKEN.findall(_QUOTED.sub(" ", _EXCEPTION.sub(" ", text))):
        bare = token.strip(".-/+")
        if not bare or bare in allowed or bare.lower() in TECHNICAL:
            continue
        if any(c in bare for c in "_./0123456789%"):
            continue  # an id, a key, a unit, a file name, a number
        if len(bare) <= 2 or (bare.isupper() and len(bare) <= 5):
            continue  # a symbol or an abbreviation (A, B, C, ER, CT)
        if "-" in bare and any(c.isupper() for c in bare):
            continue  # a point or project id (CH-A, EXAMPLE-ID)
        out.append(bare)
    return out


def spec_names(spec) -> set[str]:
    """The ids of a spec (parameters, equations, choices, alternatives, categories, units) and its English-only texts."""
    names = set(spec.parameters) | set(spec.equations) | {spec.id}
    for param in spec.parameters.values():
        names |= set(param.choices) | set(param.categories) | set(_TOKEN.findall(param.unit))
    for eq in spec.equations.values():
        names |= set(getattr(eq, "alternatives", {})) | set(_TOKEN.findall(eq.unit))
    for item in [*spec.parameters.values(), *spec.equations.values()]:
        # A symbol as the page prints it: EG_{i,p} reads EGi,p (subscripts), \sum_i reads Σi.
        names |= set(_TOKEN.findall(re.sub(r"\\sum|[_{}\\]", "", item.symbol)))
    return {n.strip(".-/+,") for n in names}


def spec_english(spec) -> list[str]:
    """The spec's own texts that have no Japanese (shown in English, marked, where the app shows them)."""
    texts: list[object] = [getattr(spec, "structure_source", "")]
    for param in spec.parameters.values():
        texts += [param.description, *(c.description for c in param.choices.values()), *param.categories.values()]
    for eq in spec.equations.values():
        texts += [eq.description, *(a.description for a in getattr(eq, "alternatives", {}).values())]
    texts += [c.text for c in spec.eligibility]
    out = [str(getattr(x, "en", x) or "").strip() for x in texts if not getattr(x, "ja", None)]
    return sorted((x for x in out if x), key=len, reverse=True)


def without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text


def names_of(result: jcmwb.Result) -> set[str]:
    """The ids of a calculation: the spec's, points, units, files, the project."""
    spec, period = result.spec, result.period
    names = spec_names(spec) | {period.project_id}
    for data in result.monitored.values():
        names |= set(data.points) | {Path(data.file).name} if data.file else set(data.points)
        names |= {g.point for g in data.gaps}
    for node in result.nodes.values():
        names |= set(_TOKEN.findall(node.unit))
    names |= set(_TOKEN.findall(str(period.project_title or "")))
    return names


def _po():
    with open(po_path(), "rb") as handle:
        return read_po(handle, locale="ja")


def _fields(text: str) -> set[str]:
    return set(re.findall(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^}]*)?\}", text))


# -- the catalog ------------------------------------------------------------------------------------
def test_every_app_word_has_japanese_with_the_same_placeholders() -> None:
    po = _po()
    for key, english in WORDS.items():
        entry = po.get(english, context=key)
        assert entry is not None and entry.string, f"no Japanese for the app's word {key!r} (python -m jcmwb.app.translate --update, then translate)"
        assert _fields(entry.string) == _fields(english), key


def test_every_engine_sentence_pattern_has_japanese_with_the_same_placeholders() -> None:
    po = _po()
    missing = []
    for msgid in engine_msgids():
        entry = po.get(msgid, context=ENGINE)
        if entry is None or not entry.string:
            missing.append(msgid)
            continue
        assert _fields(entry.string) == _fields(msgid), msgid
    assert not missing, f"engine sentences without Japanese (python -m jcmwb.app.translate --update, then translate in {po_path()}): {missing}"


def test_the_mo_read_at_run_time_is_the_po_compiled() -> None:
    assert po_path().with_suffix(".mo").read_bytes() == compiled(), "python -m jcmwb.app.translate --compile"


def test_receipt_is_called_a_hash_record() -> None:
    label = t("download_receipt", "ja")
    assert "受領" not in label and "ハッシュ" in label and "receipt.json" in label


# -- the engine's sentences in Japanese ---------------------------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name + "/" + p.stem)
def test_notes_warnings_gaps_and_corrections_of_every_example_read_in_japanese(example: Path) -> None:
    result = jcmwb.calculate(example)
    allowed = names_of(result)
    texts = spec_texts(result.spec, "ja")
    sentences = list(result.notes) + list(result.warnings) + [g.describe() for g in result.gaps] + [c.describe() for c in result.corrections]
    for node in result.nodes.values():
        sentences += [n.removeprefix("gap: ") for n in node.notes]
    for sentence in sentences:
        # The spec's own texts quoted in a sentence are the spec's: English where it gives no Japanese.
        said = without(engine_text(sentence, "ja", texts), spec_english(result.spec))
        assert not english_words(said, allowed), (sentence, said)


def _bad_periods() -> list[Path]:
    return sorted(p for folder in ("period", "data") for p in (BAD / folder).glob("*.yaml"))


@pytest.mark.parametrize("period", _bad_periods(), ids=lambda p: p.parent.name + "/" + p.stem)
def test_every_bad_input_message_reads_in_japanese(period: Path) -> None:
    try:
        jcmwb.calculate(period)
    except JcmwbError as exc:
        error = exc
    else:
        pytest.skip("calculates (a fixture for another command)")
    from jcmwb.engine.spec import load_spec

    try:
        spec = load_spec(str(yaml.safe_load(period.read_text(encoding="utf-8")).get("methodology")))
    except (JcmwbError, ValueError, AttributeError, yaml.YAMLError):
        spec = None  # a fixture whose YAML or methodology is the thing that is wrong
    said = plain(error, lang="ja", spec=spec)
    found = str(error.found) if error.found is not None else ""
    # The found value quotes the input: it stays as the user wrote it, unless it is the engine's own text.
    if found and engine_text(found, "ja") == found:
        said = said.replace(found, "")
    said = without(said, spec_english(spec)) if spec else said
    allowed = {period.stem, Path(error.file or "").name, *re.findall(r"[A-Za-z_][A-Za-z0-9_]*", error.where or "")} | (spec_names(spec) if spec else set())
    assert "。" in said and not english_words(said, allowed), (error.line(), said, english_words(said, allowed))


def test_a_message_in_english_and_in_japanese(tmp_path: Path) -> None:
    from jcmwb.engine.errors import DataError

    data = (tmp_path / "upload.csv").resolve()
    error = DataError("not a number", file=str(data), where="row 12, column value", expected="a number", found="'abc'")
    assert plain(error, rest="row 12, column value", file_names={data: "meter.csv"}) == "meter.csv, row 12, column value: Not a number. Expected a number; found 'abc'."
    assert plain(error, rest="row 12, column value", file_names={data: "meter.csv"}, lang="ja") == "meter.csv、12 行目、列 value：数値ではありません。期待される値：数値。実際の値：'abc'。"


# -- the chart ----------------------------------------------------------------------------------------
def _missing_glyphs(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]


def test_a_japanese_chart_draws_its_glyphs_even_with_a_font_cache_older_than_the_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from matplotlib import font_manager, rc_context

    from jcmwb.app import fonts
    from jcmwb.app.results import monthly_chart, monthly_figure

    result = jcmwb.calculate(ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml")

    def tofu() -> None:  # the Latin font alone: the control, which must miss glyphs
        with rc_context({"font.family": ["DejaVu Sans"]}):
            monthly_figure(result, "EG_i_p", "ja").savefig(io.BytesIO(), format="png")

    assert _missing_glyphs(tofu), "the control should miss the Japanese glyphs"
    # A font cache written before the CJK fonts were installed: matplotlib knows none of them.
    stale = [f for f in font_manager.fontManager.ttflist if not any(n in f.name for n in ("CJK", "Gothic", "IPA"))]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(fonts, "_save_cache", lambda: None)  # leave the machine's cache alone
    fonts.cjk_font.cache_clear()
    try:
        assert fonts.cjk_font() in fonts.CJK_FONTS
        png: list[bytes] = []
        assert _missing_glyphs(lambda: png.append(monthly_chart(result, "EG_i_p", "ja"))) == []
        assert png[0].startswith(b"\x89PNG")
        with rc_context({"font.family": fonts.chart_families()}):
            figure = monthly_figure(result, "EG_i_p", "ja")
        labels = [figure.axes[0].get_ylabel(), figure.axes[0].get_title()]
        assert labels[0] == "MWh／月" and "月別" in labels[1]
    finally:
        fonts.cjk_font.cache_clear()


# -- the browser ----------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not chromium_present(), reason="chromium is not installed (make test-tools installs it)")
def test_japanese_results_page_has_no_english_sentence(tmp_path: Path) -> None:
    example = ROOT / "data" / "examples" / "TH_AM001" / "EXAMPLE-TH001_2021.yaml"
    period = yaml.safe_load(example.read_text(encoding="utf-8"))
    result = jcmwb.calculate(example)
    work = tmp_path / "work"
    work.mkdir()
    with app_server(work) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        app = AppPage(page, server.url)
        app.open("TH_AM001", lang="ja")
        fill_from_period(app, period, example.parent, lang="ja")
        assert app.calculate() == "results", app.messages()
        results = page.locator(".jcmwb-results")
        # Unfold every "how it was obtained", then read what a person sees.
        for summary in results.locator("details > summary").all():
            summary.evaluate("e => e.parentElement.open = true")
        shown = results.evaluate(
            """e => { const c = e.cloneNode(true);
                      c.querySelectorAll('code, .jcmwb-untranslated, .jcmwb-citation').forEach(x => x.remove());
                      return c.innerText; }"""
        )
        marked = results.locator(".jcmwb-untranslated").count()
        chart = page.locator("img.jcmwb-chart").count()
    allowed = names_of(result) | set(_TOKEN.findall(str(period["project"]["title"])))
    leftover = english_words(shown, allowed)
    assert not leftover, leftover
    assert "期間pの排出削減量" in shown and "欠測" in shown and "ハッシュ記録" in shown
    assert chart == 1
    assert marked >= 0  # TH_AM001's spec is bilingual where it speaks; a marked text would be the spec's own
