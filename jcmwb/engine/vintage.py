"""Vintages: a period's credits split by calendar year, and each year's credits by party.

Credits carry their monitoring period ("01/Jan/2021 – 31/Dec/2021", as the issuance notices
print it). For reporting under Article 6.2 the ER of a period that spans a year end is also
split by calendar year (MV002: 2021-12-02 to 2022-10-31). The rule (docs/cycle.md, with the
arithmetic):

1. Each calendar-year part of the period is calculated with the same spec, from the data that
   falls in that part (the engine's period filter, gaps and corrections, per part): ``raw_y``,
   unrounded.
2. The period's issued ER_p (already whole tonnes, rounded as the spec says) is shared in
   proportion: ``exact_y = ER_p * w_y / sum(w)``, with ``w_y = max(raw_y, 0)``. The parts of a
   calculation that is not linear (a cap, a conservative gap fill decided over the whole
   period) need not add up to ER_p; the proportion makes them.
3. Whole tonnes by the largest remainder: each part gets ``floor(exact_y)``; the tonnes left
   over (fewer than the number of parts) go one each to the parts with the largest fractions,
   the earlier year first on a tie. So the parts add up to ER_p exactly, and no part exceeds
   its exact share rounded up: the split never creates a tonne that was not issued.

Each party's credits per year: the period's allocation decides each party's total for the
period (``issuance.allocate``, as issued). Every year but the last gets the allocation rule
applied to that year's credits; the last year takes what is left of each party's total. The
year totals and the party totals then both hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jcmwb.engine.errors import InputError
from jcmwb.engine.issuance import Allocation, allocate
from jcmwb.engine.numbers import round_whole

if TYPE_CHECKING:
    from jcmwb.engine.period import MonitoringPeriod

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def notice_date(day: dt.date) -> str:
    """``01/Jan/2021``: a date as the JCM's issuance and transfer notices print it."""
    return f"{day.day:02d}/{MONTHS[day.month - 1]}/{day.year}"


def notice_period(start: dt.date, end: dt.date) -> str:
    """``01/Jan/2021 – 31/Dec/2021`` (with an en dash, as printed)."""
    return f"{notice_date(start)} \u2013 {notice_date(end)}"


@dataclass(frozen=True)
class Part:
    """The part of a period inside one calendar year."""

    year: int
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return notice_period(self.start, self.end)


@dataclass
class Vintage:
    """One calendar year of a period: its calculated part, exact share and whole credits."""

    part: Part
    raw: float | None  # ER of the part by the spec, unrounded; None when the period lies in one year
    exact: float  # the part's share of the issued ER_p
    credits: int
    parties: dict[str, int] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.part.year


def calendar_parts(start: dt.date, end: dt.date) -> list[Part]:
    """The calendar-year parts of ``start``..``end`` (both inclusive), in order."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return [Part(year, max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))) for year in range(start.year, end.year + 1)]


def round_parts(total: int, raws: Sequence[float], days: Sequence[int] | None = None) -> tuple[list[float], list[int]]:
    """Share a whole ``total`` between parts in proportion to ``raws``; whole parts adding up to it.

    Returns the exact shares and the whole parts (largest remainder, earlier part first on a tie).
    When no part has a positive weight (a period with nothing to credit in any part while the
    total is positive cannot come from one calculation, but a cap could do it), the days weigh.
    """
    if total != int(total) or total < 0:
        raise ValueError(f"the total must be whole and not negative, got {total}")
    total = int(total)
    weights = [max(float(r), 0.0) for r in raws]
    if sum(weights) <= 0:
        weights = [float(d) for d in (days or [1] * len(raws))]
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    # A share such as 999.9999999999 is 1000 in exact arithmetic: a tolerance far below a tonne.
    parts = [int(round_whole(x, "down", slack=1e-9)) for x in exact]
    left = total - sum(parts)
    if left >= 0:
        order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
        for i in order[:left]:
            parts[i] += 1
    else:  # the tolerance lifted more than one part to the next tonne: take back from the smallest fractions
        order = sorted(range(len(parts)), key=lambda i: (exact[i] - parts[i], -i))
        for i in order[:-left]:
            parts[i] -= 1
    return exact, parts


def allocate_by_year(credits: Sequence[int], allocation: Allocation) -> list[dict[str, int]]:
    """Each year's credits per party; the parties' totals equal ``allocate(sum(credits))``."""
    totals = allocate(sum(credits), allocation)
    rows: list[dict[str, int]] = []
    for year_credits in credits[:-1]:
        rows.append(allocate(year_credits, allocation))
    last = {party: totals[party] - sum(row[party] for row in rows) for party in allocation.shares}
    rows.append(last)
    if any(v < 0 for row in rows for v in row.values()):
        raise ValueError(f"allocation by year gave a negative part: {rows} for {list(credits)}")
    return rows


def split_period(period: MonitoringPeriod, er_p: float, calculate: Callable[[Any], Any]) -> list[Vintage]:
    """The vintages of a period whose issued result is ``er_p`` (whole tonnes).

    ``calculate`` is ``jcmwb.engine.compute.calculate`` (passed in: compute imports this
    package's period module, and this module stays below it).
    """
    parts = calendar_parts(period.start, period.end)
    total = int(er_p)
    if total != er_p:
        raise InputError(
            f"{period.spec.result} is not a whole number of tonnes, so it cannot be issued and split by vintage",
            file=str(period.path) if period.path else None,
            where=period.spec.result,
            expected="a methodology whose result is rounded to whole tonnes",
            found=f"{er_p}",
        )
    if len(parts) == 1:
        vintage = Vintage(parts[0], None, float(total), total)
        return [vintage]
    typed = [name for name, item in period.monitored.items() if item.data is None]
    if typed:
        raise InputError(
            f"the period spans {len(parts)} calendar years, and typed period totals cannot be split by year",
            file=str(period.path) if period.path else None,
            where=f"monitored.{typed[0]}.values",
            expected="a data file (interval, register, daily or monthly) from which each year's part is calculated, or one period per calendar year",
            found=f"{period.start} to {period.end}",
        )
    raws: list[float] = []
    for part in parts:
        sub = dataclasses.replace(period, start=part.start, end=part.end)
        result = calculate(sub)
        node = result.nodes[result.spec.result]
        raws.append(float(node.unrounded if node.unrounded is not None else result.er))
    exact, whole = round_parts(total, raws, [p.days for p in parts])
    return [Vintage(part, raw, x, n) for part, raw, x, n in zip(parts, raws, exact, whole)]
