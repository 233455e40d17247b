"""The project cycle's documents, in Markdown: issuance request summary, SD report, authorization record.

Renderers of :class:`jcmwb.engine.cycle.Issuance` records: they format, never compute. Every
text that comes from an input (titles, comments, names) goes through :func:`md`, so it shows
as the text it is and never as Markdown or HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jcmwb import __version__
from jcmwb.engine.numbers import format_number
from jcmwb.engine.vintage import notice_date

if TYPE_CHECKING:
    from jcmwb.engine.cycle import Issuance, Project

_MARKDOWN = re.compile(r"([\\`*_\[\]{}|~#!])")


def md(text: object) -> str:
    """Text from an input, safe inside a Markdown table cell or line: HTML-escaped, Markdown punctuation escaped, one line."""
    value = " ".join(str(text).split())
    return _MARKDOWN.sub(r"\\\1", html.escape(value, quote=False))


def _n(value: float) -> str:
    """Whole credits and tonnes, as the forms show them: ``1,719``."""
    return format_number(value, 0)


def _warnings(lines: list[str], warnings: Sequence[str]) -> None:
    lines += ["", "## Warnings", ""]
    lines += [f"- {md(w)}" for w in warnings] if warnings else ["none"]


def _footer(lines: list[str]) -> str:
    lines += ["", f"Written by jcmwb {__version__}.", ""]
    return "\n".join(lines)


def issuance_request(project: Project, issuance: Issuance, total: int, warnings: Sequence[str]) -> str:
    """The figures the JCM Credits Issuance Request and the credit allocation notification ask for."""
    info, period = project.info, issuance.period
    allocation = period.allocation
    assert allocation is not None
    lines = [
        f"# Issuance request summary: {md(info.project_id)}, monitoring period {issuance.notice}",
        "",
        "The figures for the JCM Credits Issuance Request Form and the credit allocation notification. The forms'"
        " own field layouts are not published in jcmwb's sources: copy these figures into the forms in force.",
        "",
        "| field | value |",
        "|---|---|",
        f"| Title of the project | {md(info.title)} |",
        f"| Reference number | {md(info.reference_number or info.project_id)} |",
        f"| Partner country | {md(info.party_name)} |",
        f"| Methodology | JCM\\_{md(period.spec.id)}\\_ver{md(issuance.version)} |",
        f"| Monitoring period | {issuance.notice} |",
        f"| Issuance | {issuance.cycle.sequence} of {total} |",
        f"| Emission reductions during the period (ER_p) | {_n(issuance.er)} {md(issuance.unit)} |",
    ]
    if info.registration_date:
        lines.append(f"| Registration date | {notice_date(info.registration_date)} |")
    if issuance.provisional:
        lines.append(f"| PROVISIONAL default values used | {md(', '.join(issuance.provisional))} (not confirmed against the official methodology) |")
    lines += ["", "## Credits by party (the Credit Allocation form)", "", "| party | share | rounding | credits [tCO2] |", "|---|---:|---|---:|"]
    for party, share in allocation.shares.items():
        rule = "the remainder" if party == allocation.remainder else allocation.rounding.get(party, "down")
        lines.append(f"| {md(party)} | {share:g} % | {rule} | {_n(issuance.parties[party])} |")
    lines.append(f"| total | 100 % | | {_n(sum(issuance.parties.values()))} |")
    parties = list(allocation.shares)
    lines += [
        "",
        "## Credits by calendar year (vintage, for reporting under Article 6.2)",
        "",
        "| vintage | ER of the part by the spec, unrounded | share of ER_p | credits | " + " | ".join(md(p) for p in parties) + " |",
        "|---|---:|---:|---:|" + "---:|" * len(parties),
    ]
    for v in issuance.vintages:
        raw = format_number(v.raw) if v.raw is not None else "(the whole period)"
        lines.append(f"| {v.part.label} | {raw} | {format_number(v.exact)} | {_n(v.credits)} | " + " | ".join(_n(v.parties[p]) for p in parties) + " |")
    if len(issuance.vintages) > 1:
        lines += [
            "",
            "Each year's part is calculated with the same spec from the data inside it; ER_p is shared in proportion and"
            " rounded by the largest remainder, so the parts add up to ER_p (docs/cycle.md, Vintages).",
        ]
    _warnings(lines, warnings)
    return _footer(lines)


def sd_report(project: Project, issuance: Issuance, warnings: Sequence[str]) -> str:
    """The JCM Sustainable Development Implementation Report, B.1 check list, for one period."""
    info = project.info
    sd_list = info.sd_list
    answers = issuance.cycle.sd_answers(info)
    lines = [
        f"# JCM Sustainable Development Implementation Report: {md(info.project_id)}, monitoring period {issuance.notice}",
        "",
        "## A. Project description",
        "",
        f"A.1. Title of the JCM project: {md(info.title)}",
        "",
        "## B. Contribution to Sustainable Development",
        "",
    ]
    if sd_list is None:
        lines.append("No SD check list: `sd:` is not given in project.yaml.")
    else:
        lines += [
            f"B.1. Check list for contribution to SD: the list of the {md(sd_list.name)} ({md(sd_list.source)}).",
        ]
        if sd_list.note:
            lines += ["", f"Note on the list: {md(sd_list.note)}"]
        if sd_list.country and sd_list.country != info.partner_country:
            lines += ["", f"**The list is not the partner country's ({md(info.partner_country)}): it stands in for a list not published in jcmwb's sources.**"]
        lines += ["", "| No. | Reference | Items | Not identified | Identified | Comment (if identified) |", "|---|---|---|:---:|:---:|---|"]
        for item in sd_list.items:
            answer = answers.get(item.number)
            text = (f"{md(item.category)}: " if item.category else "") + md(item.text)
            if answer is None:
                lines.append(f"| {md(item.number)} | | {text} | | | **NOT ANSWERED** |")
            else:
                lines.append(
                    f"| {md(item.number)} | {answer.reference} | {text} | {'' if answer.identified else 'X'} | {'X' if answer.identified else ''} | {md(answer.comment)} |"
                )
    _warnings(lines, warnings)
    return _footer(lines)


def authorization_record(project: Project, issuance: Issuance, warnings: Sequence[str]) -> str:
    """One authorization record: the A6.2 template's section I.A and the first-transfer notice's fields."""
    record = issuance.authorization
    assert record is not None
    info = project.info
    vintages = "; ".join(f"{label} ({_n(q)} {record.unit})" for label, q in record.vintages) if len(record.vintages) > 1 else record.vintages[0][0]
    lines = [
        f"# Authorization record {md(record.authorization_id)}",
        "",
        "Authorization of use of the internationally transferred mitigation outcomes from a cooperative approach"
        " (voluntary standardized template A6.2-TMPL-RPTG-004), section I.A, with the fields of the JCM's first-transfer notice.",
        "",
        "| field | value |",
        "|---|---|",
        f"| Party | {md(record.party)} |",
        f"| Authorization ID | {md(record.authorization_id)} (project: {md(record.project_authorization_id)}; issuance {issuance.cycle.sequence}) |",
        f"| Authorization date | {notice_date(record.date) if record.date else 'not given'} |",
        f"| Version | {md(record.version)} |",
        f"| Partner Country | {md(info.party_name)} |",
        f"| Project title | {md(info.title)} ({md(info.reference_number or info.project_id)}) |",
        f"| Monitoring period | {issuance.notice} |",
        f"| The quantity of ITMOs authorized | {_n(record.quantity)} {record.unit} |",
        f"| Vintage | {vintages} |",
        f"| Entity acquiring JCM credits | {md(record.acquiring_entity) or 'not given'} |",
        f"| Status of Authorization by Partner Country | {md(record.status)} |",
        "",
        f"The quantity is the {md(record.acquiring_party)} part of the ledger for the vintage(s) named.",
    ]
    _warnings(lines, warnings)
    return _footer(lines)
