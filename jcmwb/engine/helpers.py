"""Named helper functions that methodology formulas may call.

A helper is a published model that plain arithmetic cannot express readably. Each is
one function, documented in numpydoc style with units in ``[brackets]`` and the
equation from the methodology, and declares the unit of each argument and of its
result, plus the same computation as a spreadsheet formula so that the Monitoring
Report Sheet stays live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Helper:
    name: str
    function: Callable[..., float]
    args: dict[str, str]
    returns: str
    excel: Callable[..., str]
    doc: str


HELPERS: dict[str, Helper] = {}


def helper(*, args: dict[str, str], returns: str, excel: Callable[..., str]) -> Callable:
    """Register a helper: ``args`` maps each argument name to the unit it receives."""

    def register(function: Callable[..., float]) -> Callable[..., float]:
        HELPERS[function.__name__] = Helper(
            name=function.__name__,
            function=function,
            args=dict(args),
            returns=returns,
            excel=excel,
            doc=(function.__doc__ or "").strip(),
        )
        return function

    return register


# -- helpers ------------------------------------------------------------------------------------
def _conductor_loss_excel(E_sent: str, T_op: str, U_line: str, cos_phi: str, R_20: str, alpha: str, theta_c: str, length: str) -> str:
    """The spreadsheet form of :func:`conductor_loss`: the same operations in the same order."""
    power = f"(({E_sent})/({T_op}))"
    resistance = f"(({R_20})*(1+({alpha})*(({theta_c})-20))*({length}))"
    loss = f"{power}*{power}*{resistance}/(({U_line})*({U_line})*({cos_phi})*({cos_phi}))*({T_op})"
    return f"IF(AND(({T_op})=0,({E_sent})=0),0,{loss})"


@helper(
    args={"E_sent": "MWh", "T_op": "h", "U_line": "kV", "cos_phi": "-", "R_20": "ohm/km", "alpha": "1/K", "theta_c": "degC", "length": "km"},
    returns="MWh",
    excel=_conductor_loss_excel,
)
def conductor_loss(E_sent: float, T_op: float, U_line: float, cos_phi: float, R_20: float, alpha: float, theta_c: float, length: float) -> float:
    r"""Resistive (I²R) energy loss of a three-phase line built with a reference conductor.

    The reference emissions of JCM_MN_AM001 (energy-saving transmission lines) are the
    loss the line would have had with a conventional ACSR conductor, computed from the
    conductor parameters of the national standard (MNS 5870:2008), for the energy the
    project line actually carried. The loss of a balanced three-phase line carrying the
    average power :math:`P = E_{sent} / T_{op}` at line voltage :math:`U` and power
    factor :math:`\cos\varphi` is

    .. math::

        I = \frac{P}{\sqrt{3}\, U \cos\varphi}, \qquad
        R_\theta = R_{20} \left(1 + \alpha (\theta_c - 20)\right) L, \qquad
        E_{loss} = 3 I^2 R_\theta\, T_{op}
                 = \frac{P^2 R_\theta}{U^2 \cos^2\varphi}\, T_{op}

    where :math:`R_{20}` is the DC resistance per km of one phase conductor at 20 °C,
    corrected linearly to the conductor temperature :math:`\theta_c`. In the units of
    the arguments, MW² × Ω / kV² is MW, so :math:`E_{loss}` comes out in MWh.

    Using the period's average power is conservative: the mean of the squared current
    is never below the square of the mean current, so the reference loss (and the
    reference emissions) can only be underestimated. Skin effect and corona loss are
    ignored, which also underestimates the reference loss.

    Parameters
    ----------
    E_sent : float
        Energy sent into the line at its point of origin during the period [MWh].
    T_op : float
        Hours the line was energised during the period [h]. With ``T_op = 0`` and
        ``E_sent = 0`` the loss is 0; energy sent in zero hours is a division by zero.
    U_line : float
        Nominal line-to-line voltage [kV].
    cos_phi : float
        Power factor of the transmitted power [-]; 1 gives the lowest (most
        conservative) reference loss.
    R_20 : float
        DC resistance of one phase conductor per km at 20 °C [ohm/km].
    alpha : float
        Temperature coefficient of the conductor's resistance [1/K]
        (aluminium: about 0.004).
    theta_c : float
        Conductor temperature the resistance is corrected to [degC].
    length : float
        Route length of the line (length of each phase conductor) [km].

    Returns
    -------
    float
        Resistive loss of the reference line over the period [MWh].

    Examples
    --------
    100 MWh sent in 100 h (1 MW) over 10 km of 0.1 ohm/km conductor at 20 degC, 10 kV,
    cos phi = 1: R = 1 ohm, loss = 1² × 1 / 10² × 100 h = 1 MWh.

    >>> conductor_loss(100.0, 100.0, 10.0, 1.0, 0.1, 0.004, 20.0, 10.0)
    1.0
    """
    if T_op == 0:
        if E_sent == 0:
            return 0.0
        raise ZeroDivisionError("energy sent with zero operating hours")
    power = E_sent / T_op
    resistance = R_20 * (1 + alpha * (theta_c - 20)) * length
    return power * power * resistance / (U_line * U_line * cos_phi * cos_phi) * T_op
