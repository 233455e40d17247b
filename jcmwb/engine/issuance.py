"""Issuance: allocating a period's credits between the parties.

The split is project-specific (the Credit Allocation form), so it is an input of the
monitoring-period file, never a formula of jcmwb::

    allocation: {JP: "50%", TH: "50%", rounding: {JP: up}}

Each party's share of ER_p is rounded as its rule says (``up``, ``down`` or ``nearest``;
parties without a rule are rounded down), and the last party listed without a rule receives
the remainder, so the parts always add up to ER_p. With 50 % to Japan rounded up this gives the
published splits of TH014 2021 (2,017 -> 1,009 to Japan), the Indonesian batch (17,673 ->
8,837), Viet Nam (2,477 -> 1,239) and Bangladesh PV-diesel (355 -> 178).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from jcmwb.engine.errors import InputError
from jcmwb.engine.numbers import ALLOCATION_SLACK, round_whole

RULES = ("up", "down", "nearest")  # for a party; "none" is no rule for whole credits


@dataclass(frozen=True)
class Allocation:
    """A validated split: party -> share in percent, rounding rules, the party taking the remainder."""

    shares: dict[str, float]
    rounding: dict[str, str]
    remainder: str


def parse_allocation(raw: Any, *, file: str | None = None) -> Allocation:
    """Validate the ``allocation`` mapping of a monitoring-period file."""
    if not isinstance(raw, dict) or not raw:
        raise InputError("expected a mapping of party -> share, e.g. {JP: \"50%\", TH: \"50%\", rounding: {JP: up}}", file=file, where="allocation", found=repr(raw))
    rounding_raw = raw.get("rounding") or {}
    if not isinstance(rounding_raw, dict):
        raise InputError("expected a mapping of party -> up | down | nearest", file=file, where="allocation.rounding", found=repr(rounding_raw))
    shares: dict[str, float] = {}
    for party, share in raw.items():
        if party == "rounding":
            continue
        text = str(share).strip()
        number = text[:-1].strip() if text.endswith("%") else text
        try:
            value = float(number)
        except ValueError:
            raise InputError("share is not a percentage", file=file, where=f"allocation.{party}", expected='a percentage such as "50%"', found=repr(share)) from None
        if not 0 <= value <= 100:
            raise InputError("share outside 0-100 %", file=file, where=f"allocation.{party}", expected="0% to 100%", found=text)
        shares[str(party)] = value
    total = sum(shares.values())
    if not math.isclose(total, 100.0, abs_tol=1e-9):
        raise InputError("the shares do not add up to 100 %", file=file, where="allocation", expected="100%", found=f"{total:g}%")
    rounding: dict[str, str] = {}
    for party, rule in rounding_raw.items():
        if str(party) not in shares:
            raise InputError("rounding rule for a party without a share", file=file, where=f"allocation.rounding.{party}", expected="one of " + ", ".join(shares), found=repr(party))
        if rule not in RULES:
            raise InputError("unknown rounding rule", file=file, where=f"allocation.rounding.{party}", expected=" | ".join(RULES), found=repr(rule))
        rounding[str(party)] = str(rule)
    free = [p for p in shares if p not in rounding]
    if not free:
        raise InputError("every party has a rounding rule, so the parts may not add up", file=file, where="allocation.rounding", expected="one party without a rule, to receive the remainder")
    return Allocation(shares, rounding, free[-1])


def allocate(credits: float, allocation: Allocation) -> dict[str, int]:
    """Whole credits per party; they add up to ``credits`` (a whole number of tCO2)."""
    if credits != int(credits):
        raise ValueError(f"credits must be whole tonnes, got {credits}")
    total = int(credits)
    parts: dict[str, int] = {}
    for party, share in allocation.shares.items():
        if party == allocation.remainder:
            continue
        exact = total * share / 100.0
        parts[party] = int(round_whole(exact, allocation.rounding.get(party, "down"), slack=ALLOCATION_SLACK))
    parts[allocation.remainder] = total - sum(parts.values())
    if parts[allocation.remainder] < 0:
        raise InputError("the rounded shares exceed the credits", where="allocation", found=str(parts))
    return {party: parts[party] for party in allocation.shares}
