"""The font of the app's charts: a CJK font named explicitly, so Japanese labels are drawn, not boxes.

matplotlib knows the fonts of its font cache (``fontlist-v*.json`` in its cache folder). A
cache written before the CJK fonts were installed (``make demo`` before ``make test-tools``
installed ``fonts-noto-cjk``) does not know them, and Japanese text is drawn as boxes
("tofu"). :func:`cjk_font` looks for a CJK family in matplotlib's list; when there is none,
it asks fontconfig for the fonts that cover Japanese (``fc-list :lang=ja``, or the usual
folders), adds them to matplotlib's font manager and writes its cache again, so later
processes know them too. Charts then name the font explicitly (:func:`chart_families`).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

# Families that cover Japanese, in order of preference (Noto comes with fonts-noto-cjk).
CJK_FONTS = ("Noto Sans CJK JP", "Noto Serif CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Hiragino Sans", "Yu Gothic", "MS Gothic")
LATIN_FONT = "DejaVu Sans"  # matplotlib's own: always there
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local" / "share" / "fonts"), str(Path.home() / ".fonts"))


def _known() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def system_cjk_files() -> list[Path]:
    """Font files of this machine that cover Japanese: fontconfig's answer, else the usual folders."""
    files: list[Path] = []
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=30, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        files += [Path(line.split(":")[0].strip()) for line in listed.splitlines() if line.strip()]
    if not files:
        for folder in FONT_FOLDERS:
            root = Path(folder)
            if root.is_dir():
                files += [p for p in root.rglob("*") if p.suffix.lower() in (".ttc", ".otf", ".ttf") and "cjk" in p.name.lower()]
    return sorted({p for p in files if p.is_file()})


def _save_cache() -> None:
    """Write matplotlib's font cache again, with the fonts just added (best effort: a cache is only a cache)."""
    import matplotlib
    from matplotlib import font_manager

    try:
        path = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(font_manager.fontManager, path)
    except (OSError, AttributeError, TypeError):
        pass


@functools.cache
def cjk_font() -> str | None:
    """The family of a CJK font matplotlib can draw with, found (and registered) if need be; None without one."""
    from matplotlib import font_manager

    known = _known()
    for name in CJK_FONTS:
        if name in known:
            return name
    added = False
    for path in system_cjk_files():
        try:
            font_manager.fontManager.addfont(str(path))
            added = True
        except (OSError, RuntimeError, ValueError):
            continue
    if added:
        _save_cache()
    known = _known()
    return next((name for name in CJK_FONTS if name in known), None)


def chart_families() -> list[str]:
    """The font families of a chart: the Latin font, then the CJK font for Japanese glyphs (labels, point ids)."""
    cjk = cjk_font()
    return [LATIN_FONT] + ([cjk] if cjk else [])
