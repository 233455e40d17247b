"""The app's own words, and the display of methodology symbols.

Everything a methodology says about itself (titles, parameter descriptions, choices,
criteria) comes from its spec (``Text.en`` / ``Text.ja``); :data:`WORDS` holds only the words
of the app itself (section titles, field labels, buttons, hints), in English, by key. Their
Japanese is in the gettext catalog ``locale/ja/LC_MESSAGES/jcmwb.po`` (``msgctxt`` = the key,
``msgid`` = the English; see ``jcmwb.app.i18n``). A word the catalog lacks is shown in
English, never as a blank, and ``tests/test_app_japanese.py`` fails on it.
"""

from __future__ import annotations

from jcmwb.app.i18n import word
from jcmwb.app.markup import Markup, escape, render
from jcmwb.app.markup import symbol as markup_symbol

LANGUAGES = ("en", "ja")
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}

WORDS: dict[str, str] = {
    # texts of a methodology's spec without a Japanese version
    "untranslated_mark": "[English only]",
    "untranslated_title": "The methodology gives this text in English only",
    # landing page
    "catalogue_title": "JCM workbench: approved methodologies",
    "catalogue_intro": "Choose the methodology of your project. The form asks for the project, the monitoring period, the choices fixed ex ante and the monitoring data, then calculates the emission reductions and writes the Monitoring Report Sheet.",
    "col_id": "Methodology",
    "col_title": "Title",
    "col_scope": "Sectoral scope",
    "col_versions": "Version(s)",
    "col_defaults": "Default values",
    "provisional_count": "{n} provisional",
    "all_confirmed": "confirmed",
    "unknown_methodology": "There is no methodology {id!r}. Choose one below.",
    "back_to_catalogue": "All methodologies",
    "col_runnable": "Can jcmwb calculate it?",
    "version_fact": "{version} ({date})",
    "version_not_seen": "version not seen",
    "date_not_seen": "date not seen",
    "runnable_official": "yes (official structure)",
    "runnable_inferred": "yes (structure inferred from its family; the official text was not seen)",
    "runnable_catalogued": "no: catalogued only",
    "not_approved": "NOT APPROVED (proposed)",
    "methodology_count": "({n} methodologies)",
    "catalogue_summary": "{n} approved methodologies: {official} calculated with their official structure, {inferred} with a structure inferred from their family, {catalogued} catalogued only (jcmwb list gives every fact with its source).",
    "not_loadable": "Not loadable: {ids} (jcmwb check)",
    "country_unknown": "Partner country not seen",
    "country_CL": "Chile ({code})",
    "country_CR": "Costa Rica ({code})",
    "country_ID": "Indonesia ({code})",
    "country_KE": "Kenya ({code})",
    "country_KH": "Cambodia ({code})",
    "country_LA": "Lao PDR ({code})",
    "country_MM": "Myanmar ({code})",
    "country_MN": "Mongolia ({code})",
    "country_MV": "Maldives ({code})",
    "country_PH": "Philippines ({code})",
    "country_SA": "Saudi Arabia ({code})",
    "country_TH": "Thailand ({code})",
    "country_VN": "Viet Nam ({code})",
    "country_BD": "Bangladesh ({code})",
    "country_ET": "Ethiopia ({code})",
    "country_MX": "Mexico ({code})",
    "country_PW": "Palau ({code})",
    "country_LK": "Sri Lanka ({code})",
    "country_SN": "Senegal ({code})",
    "country_TN": "Tunisia ({code})",
    "country_UZ": "Uzbekistan ({code})",
    "family_efficiency_ratio": "Energy efficiency by performance ratio (chillers, refrigerators, air conditioners, LED)",
    "family_renewable_power": "Renewable power displacing grid or captive power",
    "family_redd_plus": "REDD+ (forests)",
    "family_boiler_optimisation": "Boiler optimisation",
    "family_regenerative_burner": "Regenerative burners",
    "family_modular_heat_pump": "Modular heat pumps",
    "family_renewable_power_storage": "Renewable power with storage battery",
    "family_absorption_chiller": "Absorption chillers",
    "family_transmission_losses": "Transmission losses",
    "family_heat_only_boiler": "Heat-only boilers",
    "family_heat_recovery_heat_pump": "Heat recovery heat pumps",
    "family_cogeneration": "Cogeneration",
    "family_building_equipment": "Building equipment",
    "family_none": "Family not established (catalogued only)",
    # the page served instead of the app when it has as many pages open as it may
    # the project view (/?project=NAME)
    "pv_title": "Project cycle",
    "pv_hint": "Every period of a project folder, as jcmwb project computes it: credits by period, calendar year and party, SD answers and authorization records (docs/cycle.md).",
    "pv_choice": "Project",
    "pv_show": "Show the project",
    "pv_upload": "Upload a project folder (.zip)",
    "pv_upload_hint": "Or upload a project folder as a zip file: project.yaml, the monitoring-period files and their data files, as jcmwb project reads them (at most {files} files and {size} unpacked).",
    "pv_choose": "Choose a project folder and press Show the project, or upload one as a zip file.",
    "pv_unknown": "unknown project folder {name!r}; choose one of: {names}",
    "pv_none": "none",
    "pv_not_given": "not given",
    "pv_unpacking": "unpacking {name} ...",
    "pv_uploaded_label": "{name} (uploaded, {n})",
    "pv_working": "calculating {name} ...",
    "pv_done": "{name}: {n} period(s) calculated",
    "pv_done_warnings": "{name}: {n} period(s) calculated; {k} warning(s), listed below",
    "pv_summary": "Methodology JCM_{m}; partner country {country}; {n} monitoring period(s); {total} tCO2 in all.",
    "pv_period_dates": "{start} to {end}",
    "pv_warnings": "Warnings",
    "pv_periods": "Monitoring periods",
    "pv_ledger": "Ledger",
    "pv_sd": "Sustainable development (check list of the {name})",
    "pv_authorizations": "Authorization records",
    "pv_downloads": "Downloads",
    "pv_col_period": "period",
    "pv_col_file": "file",
    "pv_col_methodology": "methodology",
    "pv_col_er": "ER_p",
    "pv_col_by_party": "by party",
    "pv_col_by_year": "by calendar year",
    "pv_col_start": "first day",
    "pv_col_end": "last day",
    "pv_col_year": "year",
    "pv_col_party": "party",
    "pv_col_credits": "credits",
    "pv_col_answered": "items answered",
    "pv_col_identified": "identified (comment)",
    "pv_col_not_answered": "not answered",
    "pv_col_authorization": "Authorization ID",
    "pv_col_auth_party": "Party",
    "pv_col_quantity": "quantity of ITMOs",
    "pv_col_vintage": "vintage",
    "pv_col_entity": "entity acquiring",
    "pv_col_status": "status",
    # a project folder uploaded as a zip, refused
    "zip_not_zip": "{name} is not a zip file that can be read.",
    "zip_too_big": "{name} is {size}; the app takes files up to {limit}.",
    "zip_absolute": "{name} was not unpacked: the entry {member!r} has an absolute path.",
    "zip_parent": "{name} was not unpacked: the entry {member!r} points out of the folder (..).",
    "zip_link": "{name} was not unpacked: the entry {member!r} is a symbolic link.",
    "zip_special": "{name} was not unpacked: the entry {member!r} is not a plain file or folder.",
    "zip_encrypted": "{name} was not unpacked: the entry {member!r} is encrypted.",
    "zip_too_many": "{name} was not unpacked: it holds {count} files, more than {limit}.",
    "zip_too_large": "{name} was not unpacked: unpacked it would be more than {limit}.",
    "zip_no_project": "{name} holds no project.yaml: zip the project folder itself.",
    "zip_two_projects": "{name} holds more than one project folder ({folders}): upload one at a time.",
    "zip_outside": "{name}: the project reads {path}, outside the uploaded folder; put every data file in the zip and name it from the period file.",
    "busy_title": "The app is busy",
    "busy_text": "It already serves {limit} open pages, the most it keeps at once (set with jcmwb app --max-kernels). Please retry in a minute: this page reloads itself after {seconds} seconds. Closing another page of the app frees a place at once.",
    "busy_retry": "Retry now",
    # header
    "language": "Language",
    "provisional_banner": "Default values marked PROVISIONAL are placeholders, not yet confirmed against the official methodology: results that use them are not for issuance.",
    # section 1
    "sec_project": "1. Project and monitoring period",
    "project_id": "Project reference number",
    "project_id_hint": "as registered by the Joint Committee, e.g. TH014",
    "project_title": "Title of the project",
    "partner_country": "Partner country (ISO code)",
    "participants": "Project participants",
    "allocation": "Credit allocation (optional)",
    "allocation_hint": "as in the Credit Allocation form: each party's share in %, adding up to 100; each party's credits are rounded as chosen, and one party without a rule receives the remainder",
    "allocation_add": "Add a party",
    "allocation_party": "Party (e.g. JP)",
    "allocation_share": "Share",
    "allocation_no_party": "Row {n}: give the party (its country code, e.g. JP).",
    "rounding_remainder": "receives the remainder",
    "rounding_up": "rounded up",
    "rounding_down": "rounded down",
    "rounding_nearest": "rounded to the nearest tonne",
    "period_start": "Monitoring period: first day",
    "period_end": "Monitoring period: last day",
    "version": "Version of the methodology",
    "version_auto": "the version in force on the first day of the period",
    "approved_on": "approved {date}",
    # section 2
    "sec_fixed": "2. Choices and values fixed ex ante",
    "sec_fixed_none": "This methodology has no choices or values fixed ex ante.",
    "alternative": "How {symbol} is determined",
    "choice": "Choice",
    "project_specific": "project-specific value (give it below, with its source)",
    "default_value": "Default of the methodology",
    "table_lookup": "looked up in the methodology's table by {symbol} of each unit",
    "per_category": "one value per category",
    "provisional": "PROVISIONAL",
    "confirmed": "confirmed",
    "value": "Value",
    "value_of": "Value for {member}",
    "unit_of_values": "Unit of the values",
    "unit_hint": "convertible to {unit}",
    "unit_hint_dimensionless": "a plain number without a unit (dimensionless); leave the unit as -",
    "source": "Source of the value(s)",
    "source_hint": "e.g. manufacturer specification sheet",
    "members_from": "One value per {index}: the list follows the monitoring points of {symbol} (section 3).",
    "members_none": "Type the ids of the units below, one per line; or give the monitoring points of {symbol} in section 3 (upload its data or list its points), and they become the list.",
    "members_manual": "Units (one id per line)",
    # section 3
    "sec_monitored": "3. Parameters monitored ex post",
    "option": "Monitoring option",
    "option_A": "A: public data measured by others (statistics, specifications)",
    "option_B": "B: transaction amounts (invoices, commercial evidence)",
    "option_C": "C: the project participants' own measurement with calibrated equipment",
    "mode": "How you give the data",
    "mode_upload": "upload a file (CSV or XLSX)",
    "mode_monthly": "type monthly totals",
    "mode_totals": "type totals for the period",
    "upload": "Upload data file",
    "upload_again": "Upload another file to replace it",
    "upload_none": "No file uploaded yet.",
    "upload_saved": "{name} ({size}) received; points found: {points}.",
    "upload_saved_nopoints": "{name} ({size}) received.",
    "upload_too_large": "{name} is {size}, more than the {limit} this app accepts (set with jcmwb app --max-upload-mb). Make the file smaller (e.g. aggregate to hourly values) or ask whoever runs the app to raise the limit.",
    "upload_incomplete": "{name} could not be read completely by the browser; please upload it again.",
    "upload_type": "{name}: only CSV or XLSX files can be read (found {suffix!r}).",
    "format": "Data format",
    "format_interval": "interval: energy per interval (columns timestamp, point, value[, unit])",
    "format_register": "register: cumulative meter readings (columns timestamp, point, reading[, unit])",
    "format_monthly": "monthly: monthly totals (columns month, point, value[, unit])",
    "format_daily": "daily: the category of each day (columns date, category)",
    "unit": "Unit of your values",
    "unit_file_hint": "convertible to {unit}; may be left empty when the file has a unit column",
    "interval": "Logging interval",
    "interval_hint": "optional, e.g. 15min or 1h; found from the timestamps when empty",
    "multipliers": "Register multipliers (per point)",
    "multiplier_of": "Multiplier for {member}",
    "multiplier_placeholder": "CT/PT ratio or register factor; 1 if the register shows the quantity",
    "multiplier_positive": "A meter multiplier must be greater than zero (found {found}).",
    "exclude_outside": "Leave out values outside the monitoring period",
    "points": "Monitoring points",
    "points_hint": "one per line: point id, colon, description (e.g. PV-1: inverter block 1). Filled in from an uploaded file.",
    "points_single": "one point only: {symbol} is a single value",
    "categories_are": "Categories of each day: {categories}",
    "monthly_grid": "Monthly totals",
    "monthly_grid_hint": "one value per month and point, in the unit above",
    "totals": "Totals for the period",
    "total_of": "Total for {member}",
    "set_period_first": "Set the monitoring period (section 1) to get one row per month.",
    "list_points_first": "List the monitoring points above first.",
    "calibration": "Calibration records",
    "calibration_hint": "date of each calibration and the error it found (in %); readings are corrected conservatively when the error exceeds the permissible level",
    "cal_point": "Point",
    "cal_date": "Date",
    "cal_error": "Error (%)",
    "add_calibration": "Add a calibration record",
    "remove": "Remove",
    "data_source": "Source of data",
    "data_source_hint": "e.g. 15-minute export of the plant SCADA",
    "comments": "Other comments",
    "frequency": "Monitoring frequency",
    "measurement": "Measurement methods and procedures",
    "index_of": "per {index}",
    "not_used": "Not used with the alternatives selected in section 2.",
    # section 4
    "sec_eligibility": "4. Eligibility criteria",
    "yes": "yes",
    "no": "no",
    "unanswered": "not answered",
    "eligibility_unanswered": "Not answered: the results and the sheet will carry the methodology's warning for it.",
    # calculate
    "calculate": "Calculate",
    "checking": "Checking the inputs…",
    "calculating": "Calculating and writing the Monitoring Report Sheet…",
    "fix_first": "Please correct the {n} problem(s) marked in red above, then press Calculate again.",
    "failed": "Not calculated: see the message above.",
    "done": "Done in {seconds} s.",
    "run_failed": "The calculation could not be completed: {message}",
    "run_timeout": "The calculation took longer than {seconds} s and was stopped.",
    "internal_error": "Something went wrong inside the app ({kind}). Your inputs are kept; please try again, and report this if it happens again.",
    "required": "Required.",
    # how a message of the engine is put together (the English form is built in jcmwb.app.checks.plain)
    "list_separator": ", ",
    "place_separator": ": ",
    "sentence_end": ".",
    "expected_is": " Expected: {expected}.",
    "found_is": " Found: {found}.",
    "not_a_number": "Not a number: {found!r}. Write it like 1234.5 (a point for decimals, no thousands separators).",
    "negative": "Must not be negative (found {found}).",
    "missing_value_for": "Give a value for {member}.",
    "bad_unit": "{found!r} is not a unit convertible to {unit}.",
    "unit_needed": "Give the unit of the values (convertible to {unit}).",
    "unit_needed_dimensionless": "These values are plain numbers without a unit: write - as their unit.",
    "bad_unit_dimensionless": "{found!r} is a unit, but these values are plain numbers without one (dimensionless): write -.",
    "end_before_start": "The last day is before the first day ({start}).",
    "no_file": "Upload the data file, or choose another way to give the data.",
    "no_points": "List at least one monitoring point.",
    "one_point_only": "{symbol} is a single value: give exactly one point.",
    "duplicate_point": "Point {point!r} is listed twice.",
    "bad_point_line": "Line {n}: a point id is needed before the colon.",
    "monthly_missing": "Give a value for every month and point (missing: {month}, {point}).",
    "cal_incomplete": "Calibration record {n}: give the point, the date and the error.",
    "outside_period": "{count} value(s) in {name} lie outside the monitoring period {start} to {end}{example}. Check the period and the file, or tick “Leave out values outside the monitoring period”.",
    "outside_example": " (first: row {row}, {stamp})",
    # results
    "sec_results": "5. Results",
    "results_for": "{project}, {start} to {end}, JCM_{id}_ver{version}",
    "uses_provisional": "Uses PROVISIONAL default value(s): {names}. Not confirmed against the official methodology; not for issuance.",
    "col_parameter": "Parameter",
    "col_description": "Description",
    "col_value": "Value",
    "col_unit": "Unit",
    "col_how": "How it was obtained",
    "how": "show",
    "formula": "formula",
    "inputs": "inputs",
    "source_label": "source",
    "status_provisional": "provisional",
    "status_confirmed": "confirmed",
    "correction": "correction",
    "note": "note",
    "gap": "gap",
    "calculated_values": "Calculated values",
    "input_values": "Input values",
    "chart": "Monthly view",
    "chart_param": "Monitored quantity",
    "chart_none": "No monthly data to show (the data were given as totals for the period).",
    "chart_drawing": "Drawing the monthly chart ...",
    "chart_top": "{symbol} per month (as monitored, before corrections)",
    "chart_bottom": "{result} apportioned to months",
    "per_month": "{unit} / month",
    "chart_note": "Monthly {result} is NOT an official figure: {result} = {total} {unit} is calculated for the whole period and is shown here apportioned to months in proportion to each month's share of {symbol}.",
    "data_quality": "Data quality: gaps, corrections and notes",
    "no_gaps": "No gaps found in the monitoring data.",
    "gaps_found": "{n} gap(s) found in the monitoring data (reported in the sheet; not filled unless conservative):",
    "warnings": "Warnings",
    "notes": "Notes",
    "corrections": "Corrections",
    "downloads": "Downloads",
    "download_mrs": "Monitoring Report Sheet (MRS.xlsx)",
    "download_receipt": "Receipt: the SHA-256 hash of every input and output, to check with jcmwb verify --receipt (receipt.json)",
    "download_notebook": "The executed methodology notebook, the calculation of record (notebook.ipynb)",
    "download_record_mrs": "Monitoring Report Sheet written by that run (MRS.xlsx, the one the receipt hashes)",
    "record_title": "The record: notebook, report and receipt",
    "record_hint": "The button below runs jcmwb run on the monitoring-period file above: it re-runs the methodology notebook (the calculation of record) with papermill, renders it as report.html and writes receipt.json. It takes a few seconds more.",
    "record_button": "Make the record: notebook, report and receipt",
    "record_running": "Re-running the methodology notebook (jcmwb run)…",
    "record_done": "Done: the notebook of record gives the same Monitoring Report Sheet, byte for byte.",
    "record_differs": "The notebook of record wrote a Monitoring Report Sheet that differs from the one above; use the record's, and please report this.",
    "download_period": "Monitoring-period file, to re-run with jcmwb run ({name})",
    "download_report": "Calculation report: the notebook without code, readable offline (report.html)",
    "downloads_note": "The sheet is written from the results above by the writer jcmwb run uses: the same bytes as jcmwb run gives for the same inputs. Kept in {folder}.",
}


def text_of(key: str, lang: str = "en") -> str:
    """The app's word ``key`` in ``lang``, unformatted: the catalog's translation, else the English."""
    return word(key, WORDS[key], lang)


def t(key: str, lang: str = "en", **values: object) -> str:
    """The app's text ``key`` in ``lang`` (English when the catalog has no translation), formatted."""
    text = text_of(key, lang)
    return text.format(**values) if values else text


def t_html(key: str, lang: str = "en", **values: object) -> Markup:
    """The app's text ``key`` as markup for an HTML widget: the words escaped, each value escaped unless it is ``Markup``."""
    return render(escape(text_of(key, lang)), values)


def html_symbol(symbol: str) -> Markup:
    """A methodology symbol as printed (``EG_{i,p}``, ``\\sum_i EG_{i,p}``) in HTML with subscripts."""
    return markup_symbol(symbol)


# -- texts of the methodology's spec --------------------------------------------------------------
def _parts(text: object) -> tuple[str, str | None]:
    """(English, Japanese or None) of a spec text: a ``Text``, or a plain string (English only)."""
    return (str(getattr(text, "en", text)), getattr(text, "ja", None) or None)


def spec_html(text: object, lang: str) -> Markup:
    """A text of the spec in ``lang``; where the spec has no Japanese, its English, marked as such.

    Only the methodology's own texts can be left in English (the spec gives no Japanese for
    them); the mark (class ``jcmwb-untranslated``, ``lang="en"``, a tooltip) says so.
    """
    english, japanese = _parts(text)
    if lang == "en" or not english:
        return escape(english)
    if japanese:
        return escape(japanese)
    return render(
        "<span class='jcmwb-untranslated' lang='en' title='{title}'>{text}</span> <span class='jcmwb-untranslated-mark'>{mark}</span>",
        {"title": t("untranslated_title", lang), "text": english, "mark": t("untranslated_mark", lang)},
    )


def spec_plain(text: object, lang: str) -> str:
    """A text of the spec in ``lang`` for a plain-text place (an option of a list): English marked as such."""
    english, japanese = _parts(text)
    if lang == "en" or not english:
        return english
    return japanese or f"{english} {t('untranslated_mark', lang)}"


def spec_texts(spec: object, lang: str) -> dict[str, str]:
    """The spec's English texts -> their ``lang`` version, for the engine's sentences that quote them."""
    if lang == "en":
        return {}
    texts: list[object] = []
    for param in getattr(spec, "parameters", {}).values():
        texts.append(param.description)
        texts += [c.description for c in param.choices.values()]
        texts += list(param.categories.values())
    for eq in getattr(spec, "equations", {}).values():
        texts.append(eq.description)
        texts += [a.description for a in getattr(eq, "alternatives", {}).values()]
    texts += [c.text for c in getattr(spec, "eligibility", ())]
    out = {}
    for text in texts:
        english, japanese = _parts(text)
        if english and japanese:
            out[english] = japanese
    return out
