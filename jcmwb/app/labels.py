"""The app's own words, in English and Japanese, and the display of methodology symbols.

Everything a methodology says about itself (titles, parameter descriptions, choices,
criteria) comes from its spec (``Text.en`` / ``Text.ja``); this table holds only the words
of the app itself: section titles, field labels, buttons, hints. A key missing in Japanese
falls back to English, so a new label never shows up as a blank.
"""

from __future__ import annotations

from jcmwb.app.markup import Markup, escape, render
from jcmwb.app.markup import symbol as markup_symbol

LANGUAGES = ("en", "ja")
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}

WORDS: dict[str, dict[str, str]] = {
    # landing page
    "catalogue_title": {"en": "JCM workbench: approved methodologies", "ja": "JCMワークベンチ：承認済み方法論"},
    "catalogue_intro": {
        "en": "Choose the methodology of your project. The form asks for the project, the monitoring period, "
        "the choices fixed ex ante and the monitoring data, then calculates the emission reductions and "
        "writes the Monitoring Report Sheet.",
        "ja": "プロジェクトの方法論を選んでください。フォームでプロジェクト、モニタリング期間、事前に固定される選択と"
        "モニタリングデータを入力すると、排出削減量を計算し、モニタリング報告シートを作成します。",
    },
    "col_id": {"en": "Methodology", "ja": "方法論"},
    "col_title": {"en": "Title", "ja": "名称"},
    "col_scope": {"en": "Sectoral scope", "ja": "セクトラルスコープ"},
    "col_versions": {"en": "Version(s)", "ja": "版"},
    "col_defaults": {"en": "Default values", "ja": "デフォルト値"},
    "provisional_count": {"en": "{n} provisional", "ja": "暫定値 {n} 件"},
    "all_confirmed": {"en": "confirmed", "ja": "確認済み"},
    "unknown_methodology": {"en": "There is no methodology {id!r}. Choose one below.", "ja": "方法論 {id!r} はありません。以下から選んでください。"},
    "back_to_catalogue": {"en": "All methodologies", "ja": "方法論の一覧"},
    # the page served instead of the app when it has as many pages open as it may
    "busy_title": {"en": "The app is busy", "ja": "アプリが混み合っています"},
    "busy_text": {
        "en": "It already serves {limit} open pages, the most it keeps at once (set with jcmwb app --max-kernels). "
        "Please retry in a minute: this page reloads itself after {seconds} seconds. Closing another page of the app frees a place at once.",
        "ja": "同時に開けるページ数の上限（{limit} ページ、jcmwb app --max-kernels で設定）に達しています。"
        "1分ほど後にもう一度お試しください（このページは {seconds} 秒後に自動で再読み込みします）。アプリの他のページを閉じると、すぐに空きができます。",
    },
    "busy_retry": {"en": "Retry now", "ja": "今すぐ再試行"},
    # header
    "language": {"en": "Language", "ja": "言語"},
    "provisional_banner": {
        "en": "Default values marked PROVISIONAL are placeholders, not yet confirmed against the official methodology: "
        "results that use them are not for issuance.",
        "ja": "「暫定」と表示されたデフォルト値は公式方法論との照合が済んでいない仮の値です。これを用いた結果はクレジット発行には使えません。",
    },
    # section 1
    "sec_project": {"en": "1. Project and monitoring period", "ja": "1. プロジェクトとモニタリング期間"},
    "project_id": {"en": "Project reference number", "ja": "プロジェクト参照番号"},
    "project_id_hint": {"en": "as registered by the Joint Committee, e.g. TH014", "ja": "合同委員会が登録した番号（例：TH014）"},
    "project_title": {"en": "Title of the project", "ja": "プロジェクト名"},
    "partner_country": {"en": "Partner country (ISO code)", "ja": "パートナー国（ISOコード）"},
    "participants": {"en": "Project participants", "ja": "プロジェクト参加者"},
    "allocation": {"en": "Credit allocation (optional)", "ja": "クレジット配分（任意）"},
    "allocation_hint": {"en": 'as in the Credit Allocation form, e.g. JP: "50%", TH: "50%", rounding: {JP: up}', "ja": '配分フォームのとおり（例：JP: "50%", TH: "50%", rounding: {JP: up}）'},
    "period_start": {"en": "Monitoring period: first day", "ja": "モニタリング期間：初日"},
    "period_end": {"en": "Monitoring period: last day", "ja": "モニタリング期間：最終日"},
    "version": {"en": "Version of the methodology", "ja": "方法論の版"},
    "version_auto": {"en": "the version in force on the first day of the period", "ja": "期間初日に有効な版"},
    "approved_on": {"en": "approved {date}", "ja": "{date} 承認"},
    # section 2
    "sec_fixed": {"en": "2. Choices and values fixed ex ante", "ja": "2. 事前に固定される選択と値"},
    "sec_fixed_none": {"en": "This methodology has no choices or values fixed ex ante.", "ja": "この方法論には事前に固定される選択や値はありません。"},
    "alternative": {"en": "How {symbol} is determined", "ja": "{symbol} の決定方法"},
    "choice": {"en": "Choice", "ja": "選択"},
    "project_specific": {"en": "project-specific value (give it below, with its source)", "ja": "プロジェクト固有の値（下に値と出典を入力）"},
    "default_value": {"en": "Default of the methodology", "ja": "方法論のデフォルト値"},
    "table_lookup": {"en": "looked up in the methodology's table by {symbol} of each unit", "ja": "各ユニットの {symbol} により方法論の表から決定"},
    "per_category": {"en": "one value per category", "ja": "区分ごとの値"},
    "provisional": {"en": "PROVISIONAL", "ja": "暫定"},
    "confirmed": {"en": "confirmed", "ja": "確認済み"},
    "value": {"en": "Value", "ja": "値"},
    "value_of": {"en": "Value for {member}", "ja": "{member} の値"},
    "unit_of_values": {"en": "Unit of the values", "ja": "値の単位"},
    "unit_hint": {"en": "convertible to {unit}", "ja": "{unit} に換算できる単位"},
    "source": {"en": "Source of the value(s)", "ja": "値の出典"},
    "source_hint": {"en": "e.g. manufacturer specification sheet", "ja": "例：メーカー仕様書"},
    "members_from": {
        "en": "One value per {index}: the list follows the monitoring points of {symbol} (section 3).",
        "ja": "{index}ごとに1つの値：一覧はセクション3の {symbol} のモニタリングポイントに従います。",
    },
    "members_none": {
        "en": "The list of units appears when the monitoring points of {symbol} are known (upload its data or list its points in section 3).",
        "ja": "{symbol} のモニタリングポイントが分かると一覧が表示されます（セクション3でデータをアップロードするかポイントを入力）。",
    },
    "members_manual": {"en": "Units (one id per line)", "ja": "ユニット（1行に1つのID）"},
    # section 3
    "sec_monitored": {"en": "3. Parameters monitored ex post", "ja": "3. 事後モニタリングパラメータ"},
    "option": {"en": "Monitoring option", "ja": "モニタリングオプション"},
    "option_A": {"en": "A: public data measured by others (statistics, specifications)", "ja": "A：第三者が計測した公開データ（統計、仕様）"},
    "option_B": {"en": "B: transaction amounts (invoices, commercial evidence)", "ja": "B：取引量（請求書、商取引の証憑）"},
    "option_C": {"en": "C: the project participants' own measurement with calibrated equipment", "ja": "C：校正済み機器によるプロジェクト参加者自身の計測"},
    "mode": {"en": "How you give the data", "ja": "データの入力方法"},
    "mode_upload": {"en": "upload a file (CSV or XLSX)", "ja": "ファイルをアップロード（CSV・XLSX）"},
    "mode_monthly": {"en": "type monthly totals", "ja": "月別合計を入力"},
    "mode_totals": {"en": "type totals for the period", "ja": "期間合計を入力"},
    "upload": {"en": "Upload data file", "ja": "データファイルをアップロード"},
    "upload_none": {"en": "No file uploaded yet.", "ja": "ファイルはまだアップロードされていません。"},
    "upload_saved": {"en": "{name} ({size}) received; points found: {points}.", "ja": "{name}（{size}）を受け取りました。ポイント：{points}"},
    "upload_saved_nopoints": {"en": "{name} ({size}) received.", "ja": "{name}（{size}）を受け取りました。"},
    "upload_too_large": {
        "en": "{name} is {size}, more than the {limit} this app accepts (set with jcmwb app --max-upload-mb). "
        "Make the file smaller (e.g. aggregate to hourly values) or ask whoever runs the app to raise the limit.",
        "ja": "{name} は {size} で、このアプリの上限 {limit}（jcmwb app --max-upload-mb で設定）を超えています。"
        "データを時間単位などに集約して小さくするか、アプリの管理者に上限の引き上げを依頼してください。",
    },
    "upload_incomplete": {"en": "{name} could not be read completely by the browser; please upload it again.", "ja": "{name} をブラウザが完全に読み込めませんでした。もう一度アップロードしてください。"},
    "upload_type": {"en": "{name}: only CSV or XLSX files can be read (found {suffix!r}).", "ja": "{name}：読み込めるのはCSVまたはXLSXファイルのみです（{suffix!r}）。"},
    "format": {"en": "Data format", "ja": "データ形式"},
    "format_interval": {"en": "interval: energy per interval (columns timestamp, point, value[, unit])", "ja": "interval：時間間隔ごとの量（列 timestamp, point, value[, unit]）"},
    "format_register": {"en": "register: cumulative meter readings (columns timestamp, point, reading[, unit])", "ja": "register：積算計の指示値（列 timestamp, point, reading[, unit]）"},
    "format_monthly": {"en": "monthly: monthly totals (columns month, point, value[, unit])", "ja": "monthly：月別合計（列 month, point, value[, unit]）"},
    "format_daily": {"en": "daily: the category of each day (columns date, category)", "ja": "daily：各日の区分（列 date, category）"},
    "unit": {"en": "Unit of your values", "ja": "入力値の単位"},
    "unit_file_hint": {
        "en": "convertible to {unit}; may be left empty when the file has a unit column",
        "ja": "{unit} に換算できる単位。ファイルに unit 列がある場合は空欄可",
    },
    "interval": {"en": "Logging interval", "ja": "記録間隔"},
    "interval_hint": {"en": "optional, e.g. 15min or 1h; found from the timestamps when empty", "ja": "任意（例：15min、1h）。空欄ならタイムスタンプから判定"},
    "multipliers": {"en": "Register multipliers (per point)", "ja": "積算計の乗率（ポイントごと）"},
    "multiplier_of": {"en": "Multiplier for {member}", "ja": "{member} の乗率"},
    "exclude_outside": {"en": "Leave out values outside the monitoring period", "ja": "モニタリング期間外の値を除外する"},
    "points": {"en": "Monitoring points", "ja": "モニタリングポイント"},
    "points_hint": {
        "en": "one per line: point id, colon, description (e.g. PV-1: inverter block 1). Filled in from an uploaded file.",
        "ja": "1行に1つ：ポイントID、コロン、説明（例：PV-1: インバータ1）。アップロードしたファイルから自動入力されます。",
    },
    "points_single": {"en": "one point only: {symbol} is a single value", "ja": "ポイントは1つのみ（{symbol} は単一の値）"},
    "categories_are": {"en": "Categories of each day: {categories}", "ja": "各日の区分：{categories}"},
    "monthly_grid": {"en": "Monthly totals", "ja": "月別合計"},
    "monthly_grid_hint": {"en": "one value per month and point, in the unit above", "ja": "月・ポイントごとに1つの値（上の単位で）"},
    "totals": {"en": "Totals for the period", "ja": "期間合計"},
    "total_of": {"en": "Total for {member}", "ja": "{member} の合計"},
    "set_period_first": {"en": "Set the monitoring period (section 1) to get one row per month.", "ja": "月ごとの行を表示するには、セクション1でモニタリング期間を設定してください。"},
    "list_points_first": {"en": "List the monitoring points above first.", "ja": "先に上でモニタリングポイントを入力してください。"},
    "calibration": {"en": "Calibration records", "ja": "校正記録"},
    "calibration_hint": {
        "en": "date of each calibration and the error it found (in %); readings are corrected conservatively when the error exceeds the permissible level",
        "ja": "各校正の日付と判明した誤差（%）。誤差が許容範囲を超える場合、計測値は保守的に補正されます",
    },
    "cal_point": {"en": "Point", "ja": "ポイント"},
    "cal_date": {"en": "Date", "ja": "日付"},
    "cal_error": {"en": "Error (%)", "ja": "誤差（%）"},
    "add_calibration": {"en": "Add a calibration record", "ja": "校正記録を追加"},
    "remove": {"en": "Remove", "ja": "削除"},
    "data_source": {"en": "Source of data", "ja": "データの出典"},
    "data_source_hint": {"en": "e.g. 15-minute export of the plant SCADA", "ja": "例：発電所SCADAの15分値"},
    "comments": {"en": "Other comments", "ja": "その他のコメント"},
    "frequency": {"en": "Monitoring frequency", "ja": "モニタリング頻度"},
    "measurement": {"en": "Measurement methods and procedures", "ja": "計測方法と手順"},
    "index_of": {"en": "per {index}", "ja": "{index}ごと"},
    "not_used": {"en": "Not used with the alternatives selected in section 2.", "ja": "セクション2で選んだ方法では使用しません。"},
    # section 4
    "sec_eligibility": {"en": "4. Eligibility criteria", "ja": "4. 適格性要件"},
    "yes": {"en": "yes", "ja": "はい"},
    "no": {"en": "no", "ja": "いいえ"},
    "unanswered": {"en": "not answered", "ja": "未回答"},
    # calculate
    "calculate": {"en": "Calculate", "ja": "計算する"},
    "checking": {"en": "Checking the inputs…", "ja": "入力を確認しています…"},
    "calculating": {"en": "Calculating and writing the Monitoring Report Sheet…", "ja": "計算してモニタリング報告シートを作成しています…"},
    "fix_first": {"en": "Please correct the {n} problem(s) marked in red above, then press Calculate again.", "ja": "上に赤で示した {n} 件の問題を修正してから、もう一度「計算する」を押してください。"},
    "failed": {"en": "Not calculated: see the message above.", "ja": "計算できませんでした。上のメッセージを参照してください。"},
    "done": {"en": "Done in {seconds:.1f} s.", "ja": "{seconds:.1f} 秒で完了しました。"},
    "run_failed": {"en": "The calculation could not be completed: {message}", "ja": "計算を完了できませんでした：{message}"},
    "run_timeout": {"en": "The calculation took longer than {seconds} s and was stopped.", "ja": "計算が {seconds} 秒を超えたため中止しました。"},
    "internal_error": {
        "en": "Something went wrong inside the app ({kind}). Your inputs are kept; please try again, and report this if it happens again.",
        "ja": "アプリ内部でエラーが発生しました（{kind}）。入力は保持されています。もう一度試し、再発する場合は報告してください。",
    },
    "required": {"en": "Required.", "ja": "必須です。"},
    "not_a_number": {"en": "Not a number: {found!r}. Write it like 1234.5 (a point for decimals, no thousands separators).", "ja": "数値ではありません：{found!r}。1234.5 のように入力してください（小数点はピリオド、桁区切りなし）。"},
    "negative": {"en": "Must not be negative (found {found}).", "ja": "負の値は入力できません（{found}）。"},
    "missing_value_for": {"en": "Give a value for {member}.", "ja": "{member} の値を入力してください。"},
    "bad_unit": {"en": "{found!r} is not a unit convertible to {unit}.", "ja": "{found!r} は {unit} に換算できる単位ではありません。"},
    "unit_needed": {"en": "Give the unit of the values (convertible to {unit}).", "ja": "値の単位を入力してください（{unit} に換算できる単位）。"},
    "end_before_start": {"en": "The last day is before the first day ({start}).", "ja": "最終日が初日（{start}）より前です。"},
    "no_file": {"en": "Upload the data file, or choose another way to give the data.", "ja": "データファイルをアップロードするか、別の入力方法を選んでください。"},
    "no_points": {"en": "List at least one monitoring point.", "ja": "モニタリングポイントを1つ以上入力してください。"},
    "one_point_only": {"en": "{symbol} is a single value: give exactly one point.", "ja": "{symbol} は単一の値です。ポイントは1つだけ入力してください。"},
    "duplicate_point": {"en": "Point {point!r} is listed twice.", "ja": "ポイント {point!r} が重複しています。"},
    "bad_point_line": {"en": "Line {n}: a point id is needed before the colon.", "ja": "{n} 行目：コロンの前にポイントIDが必要です。"},
    "monthly_missing": {"en": "Give a value for every month and point (missing: {month}, {point}).", "ja": "すべての月とポイントに値を入力してください（未入力：{month}、{point}）。"},
    "cal_incomplete": {"en": "Calibration record {n}: give the point, the date and the error.", "ja": "校正記録 {n}：ポイント、日付、誤差を入力してください。"},
    "outside_period": {
        "en": "{count} value(s) in {name} lie outside the monitoring period {start} to {end}{example}. "
        "Check the period and the file, or tick “Leave out values outside the monitoring period”.",
        "ja": "{name} の {count} 件の値がモニタリング期間 {start}～{end} の外にあります{example}。"
        "期間とファイルを確認するか、「モニタリング期間外の値を除外する」にチェックを入れてください。",
    },
    "outside_example": {"en": " (first: row {row}, {stamp})", "ja": "（最初：{row} 行目、{stamp}）"},
    # results
    "sec_results": {"en": "5. Results", "ja": "5. 結果"},
    "results_for": {"en": "{project}, {start} to {end}, JCM_{id}_ver{version}", "ja": "{project}、{start}～{end}、JCM_{id}_ver{version}"},
    "uses_provisional": {
        "en": "Uses PROVISIONAL default value(s): {names}. Not confirmed against the official methodology; not for issuance.",
        "ja": "暫定のデフォルト値を使用：{names}。公式方法論との照合前のため、クレジット発行には使えません。",
    },
    "col_parameter": {"en": "Parameter", "ja": "パラメータ"},
    "col_description": {"en": "Description", "ja": "説明"},
    "col_value": {"en": "Value", "ja": "値"},
    "col_unit": {"en": "Unit", "ja": "単位"},
    "col_how": {"en": "How it was obtained", "ja": "算出方法"},
    "how": {"en": "show", "ja": "表示"},
    "formula": {"en": "formula", "ja": "式"},
    "inputs": {"en": "inputs", "ja": "入力"},
    "source_label": {"en": "source", "ja": "出典"},
    "correction": {"en": "correction", "ja": "補正"},
    "note": {"en": "note", "ja": "注記"},
    "gap": {"en": "gap", "ja": "欠測"},
    "calculated_values": {"en": "Calculated values", "ja": "計算値"},
    "input_values": {"en": "Input values", "ja": "入力値"},
    "chart": {"en": "Monthly view", "ja": "月別の表示"},
    "chart_param": {"en": "Monitored quantity", "ja": "モニタリング量"},
    "chart_none": {"en": "No monthly data to show (the data were given as totals for the period).", "ja": "表示できる月別データはありません（期間合計で入力されています）。"},
    "chart_top": {"en": "{symbol} per month (as monitored, before corrections)", "ja": "月別の {symbol}（計測値、補正前）"},
    "chart_bottom": {"en": "{result} apportioned to months", "ja": "月に按分した {result}"},
    "chart_note": {
        "en": "Monthly {result} is NOT an official figure: {result} = {total} {unit} is calculated for the whole period and is shown here "
        "apportioned to months in proportion to each month's share of {symbol}.",
        "ja": "月別の {result} は公式の値ではありません。{result} = {total} {unit} は期間全体で算定され、ここでは {symbol} の"
        "各月の割合に比例して月に按分して表示しています。",
    },
    "data_quality": {"en": "Data quality: gaps, corrections and notes", "ja": "データ品質：欠測、補正、注記"},
    "no_gaps": {"en": "No gaps found in the monitoring data.", "ja": "モニタリングデータに欠測はありません。"},
    "gaps_found": {"en": "{n} gap(s) found in the monitoring data (reported in the sheet; not filled unless conservative):", "ja": "モニタリングデータに {n} 件の欠測があります（シートに記載。保守的な場合を除き補填しません）："},
    "warnings": {"en": "Warnings", "ja": "警告"},
    "notes": {"en": "Notes", "ja": "注記"},
    "corrections": {"en": "Corrections", "ja": "補正"},
    "downloads": {"en": "Downloads", "ja": "ダウンロード"},
    "download_mrs": {"en": "Monitoring Report Sheet (MRS.xlsx)", "ja": "モニタリング報告シート（MRS.xlsx）"},
    "download_receipt": {
        "en": "Receipt: the SHA-256 hash of every input and output, to check with jcmwb verify --receipt (receipt.json)",
        "ja": "ハッシュ記録：全入出力の SHA-256 ハッシュ。jcmwb verify --receipt で照合できます（receipt.json）",
    },
    "download_notebook": {"en": "The executed methodology notebook, the calculation of record (notebook.ipynb)", "ja": "実行済みの方法論ノートブック：記録となる計算（notebook.ipynb）"},
    "download_record_mrs": {"en": "Monitoring Report Sheet written by that run (MRS.xlsx, the one the receipt hashes)", "ja": "この実行で作成されたモニタリング報告シート（MRS.xlsx、ハッシュ記録が対象とするもの）"},
    "record_title": {"en": "The record: notebook, report and receipt", "ja": "記録：ノートブック、レポート、ハッシュ記録"},
    "record_hint": {
        "en": "The button below runs jcmwb run on the monitoring-period file above: it re-runs the methodology notebook "
        "(the calculation of record) with papermill, renders it as report.html and writes receipt.json. It takes a few seconds more.",
        "ja": "下のボタンで、上のモニタリング期間ファイルに jcmwb run を実行します。方法論ノートブック（記録となる計算）を papermill で"
        "もう一度実行し、report.html を作成し、receipt.json を書き出します。さらに数秒かかります。",
    },
    "record_button": {"en": "Make the record: notebook, report and receipt", "ja": "記録を作成：ノートブック、レポート、ハッシュ記録"},
    "record_running": {"en": "Re-running the methodology notebook (jcmwb run)…", "ja": "方法論ノートブックを再実行しています（jcmwb run）…"},
    "record_done": {
        "en": "Done: the notebook of record gives the same Monitoring Report Sheet, byte for byte.",
        "ja": "完了：記録となるノートブックの計算結果は、同じモニタリング報告シート（バイト単位で一致）になりました。",
    },
    "record_differs": {
        "en": "The notebook of record wrote a Monitoring Report Sheet that differs from the one above; use the record's, and please report this.",
        "ja": "記録となるノートブックが作成したモニタリング報告シートが上のものと異なります。記録側を使用し、この件を報告してください。",
    },
    "download_period": {"en": "Monitoring-period file, to re-run with jcmwb run ({name})", "ja": "モニタリング期間ファイル（jcmwb run で再実行用、{name}）"},
    "download_report": {"en": "Calculation report: the notebook without code, readable offline (report.html)", "ja": "計算レポート：コードなしのノートブック、オフラインで閲覧可（report.html）"},
    "downloads_note": {
        "en": "The sheet is written from the results above by the writer jcmwb run uses: the same bytes as jcmwb run gives for the same inputs. Kept in {folder}.",
        "ja": "シートは上の結果から jcmwb run と同じ書き出し処理で作成され、同じ入力での jcmwb run の出力とバイト単位で一致します。{folder} に保存されています。",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The app's text ``key`` in ``lang`` (English when there is no Japanese), formatted."""
    entry = WORDS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def t_html(key: str, lang: str = "en", **values: object) -> Markup:
    """The app's text ``key`` as markup for an HTML widget: the words escaped, each value escaped unless it is ``Markup``."""
    entry = WORDS[key]
    return render(escape(entry.get(lang) or entry["en"]), values)


def html_symbol(symbol: str) -> Markup:
    """A methodology symbol as printed (``EG_{i,p}``, ``\\sum_i EG_{i,p}``) in HTML with subscripts."""
    return markup_symbol(symbol)


def plain_unit(unit: str) -> str:
    """The unit to type for values (``MWh/p`` -> ``MWh``): the per-period mark is not typed."""
    return unit[:-2] if unit.endswith("/p") else unit
