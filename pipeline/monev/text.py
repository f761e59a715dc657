"""Numbers and names as the monev report prints them: Indonesian decimal comma, percentages, actors."""

from __future__ import annotations

from pipeline.sop.steps import Actor, Step

_SHORT = {Actor.PD: "PD", Actor.KADIS: "Kepala Dinas", Actor.KABID: "Kepala Bidang", Actor.TIM: "Tim Teknis"}
DASH = "–"


def number(value: float | None) -> str:
    """1 → '1', 1.5 → '1,5' (Indonesian decimal comma); None → '–'."""
    if value is None:
        return DASH
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def percent(share: float | None) -> str:
    """0.9 → '90%', 0.923 → '92,3%'; None (nothing to divide) → '–'."""
    if share is None:
        return DASH
    value = round(100 * share, 1)
    return f"{number(value)}%"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def step_actors(step: Step, short: bool = False) -> str:
    """'Kepala Dinas', 'Tim Teknis + PD'; '–' for the last step, which nobody performs."""
    if not step.actors:
        return DASH
    return " + ".join(_SHORT[a] if short else a.value for a in step.actors)
