"""Dose and beam parameters for a paper, after Jenkins & Carroll, Photomed Laser Surg 29 (2011) 785-787.

Eight most important beam parameters: wavelength, power, irradiation time, beam area at the skin, pulse
parameters, anatomical location, number of treatments, interval between treatments; dose parameters: time,
energy, energy density; thorough reporting adds coherence, application technique, beam profile, spectral width.
"""

from __future__ import annotations

from ..dosimetry.arithmetic import power_mw
from ..units import format_length

CONTACT_TECHNIQUE = "contact"   # the application technique of a device held on the skin
SOURCE = "Jenkins PA, Carroll JD (2011) Photomed Laser Surg 29(12):785-787, doi:10.1089/pho.2011.9895"


def _pulse_text(device, channel) -> str:
    pulsing = device.pulsing_for(channel)
    if pulsing is None:
        return "continuous wave"
    return f"pulsed {pulsing.frequency_hz:g} Hz, duty cycle {pulsing.duty_cycle:g} (time-averaged values reported)"


def reporting_parameters(device, channels, dose: dict, distance_mm: float, site: str, target_tissue: str | None,
                         schedule: dict, points=None, distance_unit: str = "mm") -> dict:
    """The Jenkins & Carroll table as a dict of stable keys (one row per item, per channel where it varies).

    ``points`` (a :class:`~photodose.planning.points.PointPlan`) adds the per-point rows of a laser-point plan.
    """
    area_cm2 = dose["area_cm2"]
    rows = {r["channel"]: r for r in dose["surface"]["by_wavelength"]}
    per_channel = [{
        "channel": ch.id,
        "wavelength_nm": ch.wavelength_nm,
        "spectral_width_fwhm_nm": ch.spectrum.fwhm_nm,
        "device_output_power_mw": device.average_power_mw(ch),
        "power_at_skin_mw": float(power_mw(rows[ch.id]["irradiance_mw_cm2"], area_cm2)),
        "irradiance_mw_cm2": rows[ch.id]["irradiance_mw_cm2"],
        "pulse_parameters": _pulse_text(device, ch),
    } for ch in channels]
    technique = (CONTACT_TECHNIQUE if getattr(device, "contact", False)
                 else f"projection at {format_length(distance_mm, distance_unit)}")
    location = site if not target_tissue else f"{site} (target: {target_tissue})"
    per_point = {} if points is None else {"points_per_treatment": points.count,
                                           "energy_per_point_j": points.j_per_point,
                                           "irradiation_time_per_point_s": points.seconds_per_point}
    return {
        **per_point,
        "wavelength_nm": [p["wavelength_nm"] for p in per_channel],
        "power_mw": sum(p["power_at_skin_mw"] for p in per_channel),
        "irradiation_time_s": dose["session_seconds"],
        "beam_area_cm2": area_cm2,
        "pulse_parameters": sorted({p["pulse_parameters"] for p in per_channel}),
        "anatomical_location": location,
        "number_of_treatments": schedule["total_sessions"],
        "interval_between_treatments": f"{schedule['interval_days']:g} days ({schedule['sessions_per_week']} per week)",
        "energy_j": dose["energy_j"],
        "energy_density_j_cm2": dose["surface"]["fluence_j_cm2"],
        "irradiance_mw_cm2": dose["surface"]["irradiance_mw_cm2"],
        "coherence": "coherent (laser)" if device.kind == "laser_probe" else "incoherent (LED/lamp)",
        "application_technique": technique,
        "beam_profile": f"mean/peak irradiance over the area {dose['surface']['irradiance_mw_cm2']:.1f}/"
                        f"{dose['surface']['peak_irradiance_mw_cm2']:.1f} mW/cm2",
        "per_channel": per_channel,
        "source": SOURCE,
    }


LABELS = {
    "wavelength_nm": "Wavelength (nm)", "power_mw": "Power at the skin over the area (mW)",
    "irradiation_time_s": "Irradiation time (s)", "beam_area_cm2": "Beam area at the skin (cm2)",
    "pulse_parameters": "Pulse parameters", "anatomical_location": "Anatomical location",
    "number_of_treatments": "Number of treatments", "points_per_treatment": "Points per treatment",
    "energy_per_point_j": "Energy per point (J)", "irradiation_time_per_point_s": "Irradiation time per point (s)",
    "interval_between_treatments": "Interval between treatments",
    "energy_j": "Energy (J)", "energy_density_j_cm2": "Energy density (J/cm2)",
    "irradiance_mw_cm2": "Irradiance (mW/cm2)", "coherence": "Coherence",
    "application_technique": "Application technique", "beam_profile": "Beam profile",
}


def reporting_rows(params) -> list[tuple[str, str]]:
    """(label, text) rows in Jenkins & Carroll order, for tables and the HTML report (``params``: the plan's
    ``reporting_parameters``, a model or its dict; absent items are left out)."""
    params = {k: v for k, v in (params.model_dump() if hasattr(params, "model_dump") else params).items()
              if v is not None}
    def fmt(v):
        if isinstance(v, float):
            return f"{v:.4g}"
        if isinstance(v, list):
            return ", ".join(fmt(x) for x in v)
        return str(v)
    return [(label, fmt(params[key])) for key, label in LABELS.items() if key in params]
