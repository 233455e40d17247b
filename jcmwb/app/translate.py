"""Keeping the gettext catalog of the app: ``python -m jcmwb.app.translate --update``.

Adds to ``jcmwb/app/locale/ja/LC_MESSAGES/jcmwb.po`` every word of the app
(``jcmwb.app.labels.WORDS``) and every sentence pattern of the engine
(``jcmwb.app.i18n.engine_msgids``) it lacks, with an empty translation to fill in, and
compiles ``jcmwb.mo`` (Babel). Entries the code no longer has are dropped. Run it again
after translating (or with ``--compile``). Separate from ``jcmwb.app.i18n``, which only
reads the catalog, so that the app's words and the catalog's reader do not import each other.
"""

from __future__ import annotations

from jcmwb.app.i18n import DOMAIN, ENGINE, catalog, compile_catalog, engine_msgids, po_path


def update_catalog(lang: str = "ja") -> list[str]:
    """Add the app's words and the engine's patterns missing from the catalog (untranslated); compile it.

    Returns the msgids added. Entries the code no longer has are marked obsolete by Babel's
    writer (kept at the end, commented out), so a translation is never lost silently.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    from jcmwb.app.labels import WORDS

    path = po_path(lang)
    if path.exists():
        with open(path, "rb") as handle:
            current = read_po(handle, locale=lang)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        current = Catalog(locale=lang, domain=DOMAIN, project="jcmwb")
    wanted = [(english, key) for key, english in WORDS.items()] + [(m, ENGINE) for m in engine_msgids()]
    fresh = Catalog(locale=lang, domain=DOMAIN, project="jcmwb", header_comment=current.header_comment, creation_date=current.creation_date, fuzzy=False)
    added = []
    for msgid, context in wanted:
        old = current.get(msgid, context=context)
        if old is None:
            added.append(msgid)
        fresh.add(msgid, old.string if old is not None else "", context=context, flags=("python-brace-format",) if "{" in msgid else ())
    with open(path, "wb") as handle:
        write_po(handle, fresh, width=0, omit_header=False, sort_output=False)
    compile_catalog(lang)
    catalog.cache_clear()
    return added


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m jcmwb.app.translate", description="Keep the app's gettext catalog (Japanese) up to date.")
    parser.add_argument("--update", action="store_true", help="add missing msgids (app words, engine patterns) to the .po and compile the .mo")
    parser.add_argument("--compile", action="store_true", help="compile the .po to the .mo only")
    args = parser.parse_args(argv)
    if args.update:
        added = update_catalog()
        print(f"{len(added)} new msgid(s) to translate in {po_path()}")
        for msgid in added:
            print("  " + msgid)
    elif args.compile:
        print(compile_catalog())
    from babel.messages.pofile import read_po

    with open(po_path(), "rb") as handle:
        po = read_po(handle, locale="ja")
    missing = [m for m in engine_msgids() if not getattr(po.get(m, context=ENGINE), "string", "")]
    if missing:
        print(f"{len(missing)} engine pattern(s) without Japanese in {po_path()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
