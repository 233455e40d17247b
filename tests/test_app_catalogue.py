"""The app's catalogue (issue 13, item 5): every approved id from ``jcmwb.library.catalogue``, by
partner country and family, in English and Japanese, runnable or not and why."""

from __future__ import annotations

import re

from test_app_japanese import english_words

from jcmwb.app.page import Landing
from jcmwb.library.catalogue import load_catalogue


def _blocks(markup: str, css: str) -> dict[str, str]:
    """The HTML of each ``<div class='css-KEY'>`` section, by KEY (sections follow one another)."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(rf"<div class='{css} {css}-([A-Za-z_]+)'>", markup)]
    return {key: markup[start : (starts[i + 1][0] if i + 1 < len(starts) else len(markup))] for i, (start, key) in enumerate(starts)}


def test_every_id_of_the_catalogue_by_country_and_family() -> None:
    entries = load_catalogue()
    markup = str(Landing("en").table.value)
    countries = _blocks(markup, "jcmwb-country")
    for entry in entries:
        country = entry.facts.partner_country.value if entry.facts.partner_country.seen else "none"
        block = countries[str(country)]
        assert f"jcmwb-entry-{entry.id}'" in block, entry.id
        family = _blocks(block, "jcmwb-family")[entry.family or "none"]
        row = family[family.index(f"jcmwb-entry-{entry.id}'") :].split("</tr>")[0]
        if entry.spec is not None:  # runnable: a link to its form
            assert f"class='jcmwb-link-{entry.id}' href='?id={entry.id}'" in row
            assert "yes (" in row
        else:  # catalogued only: no form, and why
            assert "jcmwb-link-" not in row and "no: catalogued only" in row
            assert entry.facts.reason.split(":")[0].replace("'", "&#x27;") in row
    assert "Thailand (TH)" in markup and "Energy efficiency by performance ratio" in markup
    assert re.search(r"\d+ approved methodologies: \d+ calculated", markup)


def test_the_catalogue_in_japanese() -> None:
    markup = str(Landing("ja").table.value)
    assert "タイ（TH）" in markup and "インドネシア（ID）" in markup and "性能比による省エネルギー" in markup
    assert "?id=TH_AM001&amp;lang=ja" in markup
    # What is left in English is the catalogue's own facts without Japanese, marked as such, and ids.
    unmarked = re.sub(r"<span class='jcmwb-untranslated'[^>]*>.*?</span>", " ", markup)
    text = re.sub(r"<[^>]+>", " ", unmarked)
    ids = {e.id for e in load_catalogue()} | {"jcmwb", "list"}  # the command jcmwb list
    assert not english_words(text, ids), english_words(text, ids)
