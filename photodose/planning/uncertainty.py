"""The dose of a plan as a distribution: stated input ranges sampled quasi-randomly through the fast model.

Model. The plan's deterministic dose at depth z is D(z) = sum_ch H_ch phi_ch(z) with H_ch = E_ch t / 1000
(:mod:`.session_dose`). Each sample s changes the inputs the plan took as exact and gives

    D_s(z) = sum_ch H_ch * o_s * g_ch(d_s) * phi_ch(z) * r_ch,s(z),
    r_ch,s(z) = phi_diff(z; x_s, lambda_ch) / phi_diff(z; x_0, lambda_ch)

- ``o_s``: device output factor, by the provenance of the channel power in the device file (measurement, claim or a
  power fitted to a claim, assumption/illustrative);
- ``g_ch(d_s) = E_ch(d_s) / E_ch(d)``: the channel's mean irradiance (devices stage, the device's own emitter
  model) at the sampled distance over that at the plan's distance, quadratic through three exact evaluations
  (the plan's distance and the two ends of the distance range);
- ``r_ch,s``: the tissue's relative change, from the 1-D delta-Eddington diffusion model
  (:mod:`photodose.transport.diffusion`) at the channel's centre wavelength, for the sampled layer thicknesses,
  epidermal melanosome fraction, blood volume (per layer), blood saturation, scattering amplitude and fat absorption
  (:func:`sample_layers`), over the same model with the nominal inputs. The plan's own phi_ch (spectrally
  integrated; fast, Monte Carlo or atlas) is kept and only scaled, so zero-width ranges return the plan's dose
  exactly, and the relative change is assumed the same across a channel's emission band (checked against full
  spectral integration in the tests).

The skin (incident) dose H_s = sum_ch H_ch o_s g_ch(d_s) carries only the device-output and distance
uncertainty. The ranges, each with its source or labelled "photodose assumption (unsourced)", are package data
(``planning/data/uncertainty.yaml``).

Sampling: a scrambled Sobol sequence (:class:`scipy.stats.qmc.Sobol`, fixed seed, n = 64 by default) mapped through
each input's inverse CDF (the points are kept in the on-disk transport cache, so scipy.stats is imported once per
machine, not per plan). Quantiles (5th, 50th, 95th percentile) and window probabilities are taken over the
samples; ``probability_standard_error`` is the random-sampling bound sqrt(p (1 - p) / n) (scrambled QMC is
usually better; the tests compare the quantiles with a plain random sample of 2,000).

Why direct solves and not a surrogate: per-input log-sensitivities from a few solves miss the interactions that
matter most here (fat thickness x fat absorption, thickness x scattering) over ranges of a factor of 2-10. The
diffusion solve is instead vectorised over samples (:mod:`photodose.transport.diffusion_batch`: one assembly and
one banded solve for all samples of all channels, ~35 ms for 65 stacks of ~1,600 cells), and the relative change
r_ch,s is cached per tissue (site, phototype, thicknesses, presets, wavelength, ranges, n, seed), like the plan's
own phi: a warm plan only multiplies arrays.
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..bibliography import UNSOURCED, cite
from ..dosimetry.arithmetic import fluence_j_cm2
from ..dosimetry.depth_dose import depth_fluence_j_cm2
from ..errors import PhotodoseInputError
from ..optics.chromophores import blood_mua_per_cm, melanosome_mua_per_cm
from ..optics.phototypes import melanosome_fraction
from ..optics.sites import body_stack, layer_table
from ..optics.tissues import tissue_presets
from ..package_data import read_text
from ..transport.diffusion_batch import diffusion_fluence_per_irradiance_batch
from .sensitivity import FAT_PRESETS
from ..dosimetry.surface import SurfaceIrradiance
from ..dosimetry.tissue import CURVE_DEPTHS_MM
from .windows import verdict

__all__ = ["DEFAULT_SAMPLES", "DepthBand", "DoseDistribution", "InputRange", "dose_distribution", "input_ranges",
           "is_tissue_input", "sample_layers", "zero_width"]

DEFAULT_SAMPLES = 64
DEFAULT_SEED = 0
QUANTILES = (5.0, 50.0, 95.0)
NORMAL_TAIL = 0.005              # normal inputs are truncated at their 0.5th and 99.5th percentiles
MAX_STACKS_PER_SOLVE = 256       # memory bound of one batched solve (about 40 MB at 1,600 cells per stack)
WORN_KINDS = ("mask", "headset", "pad")
TISSUE_INPUTS = ("melanin", "saturation", "scattering", "fat_absorption")


def is_tissue_input(name: str) -> bool:
    """Whether an input changes the tissue (and so the diffusion solve), not the device or the distance."""
    return name.startswith(("thickness.", "blood_volume.")) or name in TISSUE_INPUTS


class InputRange(BaseModel):
    """One sampled input: a ``factor`` on the plan's value or a ``shift`` added to it, its distribution and source.

    ``uniform`` / ``loguniform``: between ``low`` and ``high``; ``normal``: SD ``sd`` around 1 (factor) or 0
    (shift), truncated at its 0.5th and 99.5th percentiles. ``citations``: bibliography keys (empty: unsourced).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Literal["factor", "shift"]
    distribution: Literal["uniform", "loguniform", "normal"]
    low: float = 1.0
    high: float = 1.0
    sd: float = 0.0
    unit: str = ""
    source: str
    citations: tuple[str, ...] = ()

    @property
    def centre(self) -> float:
        return 1.0 if self.kind == "factor" else 0.0

    @property
    def zero_width(self) -> bool:
        return self.sd == 0.0 if self.distribution == "normal" else self.low == self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at unit-cube coordinates ``u`` (inverse CDF)."""
        u = np.asarray(u, float)
        if self.zero_width:
            return np.full(u.shape, self.low if self.distribution != "normal" else self.centre)
        if self.distribution == "uniform":
            return self.low + u * (self.high - self.low)
        if self.distribution == "loguniform":
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        inv_cdf = NormalDist().inv_cdf
        z = np.array([inv_cdf(p) for p in np.ravel(NORMAL_TAIL + u * (1.0 - 2.0 * NORMAL_TAIL))]).reshape(u.shape)
        return self.centre + self.sd * z

    def describe(self) -> str:
        """One line: the range and where it comes from."""
        if self.distribution == "normal":
            span = f"normal, SD {self.sd:g}{' ' + self.unit if self.unit else ''} ({self.kind})"
        else:
            span = f"{self.distribution} {self.low:g}-{self.high:g}{' ' + self.unit if self.unit else ''} ({self.kind})"
        return f"{self.name}: {span}; {self.source}"


class DepthBand(BaseModel):
    """5th, 50th and 95th percentile of the sampled fluence [J/cm^2] on the plan's depth grid [mm]."""

    model_config = ConfigDict(frozen=True)

    depth_mm: tuple[float, ...]
    p5_j_cm2: tuple[float, ...]
    p50_j_cm2: tuple[float, ...]
    p95_j_cm2: tuple[float, ...]


class DoseDistribution(BaseModel):
    """A plan's dose under its input uncertainty (see the module docstring for the model).

    ``fluence_j_cm2``: median fluence at the target depth; ``fluence_j_cm2_interval``: [5th, 95th] percentile;
    ``nominal_fluence_j_cm2``: the deterministic plan's. ``skin_*``: the incident (skin) dose, uncertain through
    device output and distance only. ``skin_probability_inside``: share of samples whose skin dose lies inside the
    skin window (None without one); ``target_probability_inside``: the same for the target window (None without one).
    ``inputs``: the sampled ranges with their sources; ``citations``: key -> reference line; ``depth_band``: the
    percentile band of fluence vs depth for the depth plot.
    """

    model_config = ConfigDict(frozen=True)

    target_depth_mm: float
    fluence_j_cm2: float
    fluence_j_cm2_interval: tuple[float, float]
    nominal_fluence_j_cm2: float
    skin_fluence_j_cm2: float
    skin_fluence_j_cm2_interval: tuple[float, float]
    nominal_skin_fluence_j_cm2: float
    skin_probability_inside: float | None
    target_probability_inside: float | None
    probability_standard_error: float
    inputs: tuple[InputRange, ...]
    citations: dict[str, str]
    n_samples: int
    seed: int
    sampler: str
    model: str
    depth_band: DepthBand


@lru_cache(maxsize=1)
def _ranges_file() -> dict:
    """The ranges file, parsed with libyaml where present (the pure-Python parser costs ~25 ms per process)."""
    import yaml

    return yaml.load(read_text("photodose.planning", "data", "uncertainty.yaml"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _range(name: str, kind: str, entry: dict, unit: str = "", **override) -> InputRange:
    fields = {k: entry[k] for k in ("distribution", "low", "high", "sd", "source") if k in entry}
    fields.update(override)
    citations = tuple(entry.get("citations") or ())
    source = " ".join(fields.pop("source").split())
    if not citations and not source.startswith(UNSOURCED):
        source = f"{UNSOURCED}: {source}"
    return InputRange(name=name, kind=kind, unit=unit, source=source, citations=citations, **fields)


def _power_provenance(device, channels) -> str:
    """"measurement", "claim" or "assumption": the least certain provenance of the chosen channels' power."""
    order = ("measurement", "assumption", "claim")
    worst = "measurement"
    claim_tags = {c.tag for c in getattr(device, "claims", [])}
    for ch in channels:
        index = next(i for i, c in enumerate(device.channels) if c.id == ch.id)
        field = "total_power" if ch.total_power_mw is not None else "power_per_emitter"
        prov = device.provenance_of(f"channels.{index}.{field}")
        tag = prov.tag if prov is not None else "assumption"
        if tag == "model_fit":
            tag = "measurement" if claim_tags == {"measurement"} else "claim"
        elif tag not in ("measurement", "claim"):
            tag = "assumption"
        worst = max(worst, tag, key=order.index)
    return worst


def input_ranges(tissue, channels, device, distance_mm: float, *,
                 contact: bool | None = None) -> tuple[InputRange, ...]:
    """The sampled inputs for this plan, in sampling order: layer thicknesses, tissue optics, device output, distance.

    ``tissue``: the plan's TissueModel; ``channels``: the device channels; ``device``: the Device (its kind,
    contact flag and the provenance of its power); ``contact``: force a fixed distance (e.g. a laser probe's points).
    """
    data = _ranges_file()
    out = []
    site_extra = data["thickness_by_site"].get(tissue.site, {})
    user_set = set(tissue.thickness_mm or {})
    for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue):
        if layer["thickness_mm"] is None:
            continue
        name = layer["name"]
        entry = (site_extra.get(name) if name not in user_set else None) or data["thickness_default"].get(
            name, data["thickness_default"]["*"])
        out.append(_range(f"thickness.{name}", "factor", entry))
    mel = data["melanin"]
    lo, hi = mel["by_phototype"][tissue.skin_type]
    m0 = melanosome_fraction(tissue.skin_type)
    out.append(_range("melanin", "factor", {**mel, "distribution": "uniform"}, low=lo / m0, high=hi / m0,
                      source=mel["source"].strip() + f"; phototype {tissue.skin_type}: {100 * lo:g}-{100 * hi:g} % "
                      f"about its modelled {100 * m0:g} %"))
    presets = tissue_presets()
    for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue):
        if layer["tissue"] not in FAT_PRESETS and presets[layer["tissue"]].blood_fraction > 0:
            out.append(_range(f"blood_volume.{layer['name']}", "factor", data["blood_volume"]))
    out.append(_range("saturation", "shift", data["saturation"]))
    out.append(_range("scattering", "factor", data["scattering"]))
    if any(layer["tissue"] in FAT_PRESETS for layer in layer_table(tissue.site, tissue.thickness_mm, tissue.tissue)):
        out.append(_range("fat_absorption", "factor", data["fat_absorption"]))
    category = _power_provenance(device, channels)
    out.append(_range(f"device_output.{category}", "factor", data["device_output"][category]))
    fixed = contact if contact is not None else (bool(device.contact) or distance_mm <= 0)
    if fixed:
        out.append(InputRange(name="distance", kind="factor", distribution="uniform",
                              source="contact: the distance is fixed at the skin"))
    elif device.kind in WORN_KINDS or device.layout.conformal:
        out.append(_range("distance", "shift", data["distance"]["worn_mm"], unit="mm"))
    else:
        out.append(_range("distance", "factor", data["distance"]["free"]))
    return tuple(out)


def zero_width(ranges) -> tuple[InputRange, ...]:
    """The same inputs with every range collapsed onto the plan's value (factor 1, shift 0)."""
    return tuple(r.model_copy(update={"low": r.centre, "high": r.centre, "sd": 0.0}) for r in ranges)


def _sobol(dim: int, n: int, seed: int) -> np.ndarray:
    """Scrambled Sobol points, kept in the on-disk transport cache: importing scipy.stats costs 0.3-1.5 s per
    process, more than the rest of a plan, and the points depend only on (dim, n, seed, scipy version)."""
    import scipy

    from ..transport import cache

    key = cache.cache_key({"kind": "scrambled-sobol", "dim": dim, "n": n, "seed": seed, "scipy": scipy.__version__})
    hit = cache.load(key)
    if hit is not None and len(hit.get("u", ())) == n:
        return np.array(hit["u"], float).reshape(n, dim)
    from scipy.stats import qmc

    u = qmc.Sobol(dim, scramble=True, seed=seed).random(n)
    try:
        cache.store(key, {"u": u.tolist()})
    except OSError:  # a read-only cache folder only costs the import next time
        pass
    return u


@lru_cache(maxsize=32)
def _unit_sample(dim: int, n: int, seed: int, sampler: str) -> np.ndarray:
    if sampler == "sobol":
        u = _sobol(dim, n, seed)
    elif sampler == "random":
        u = np.random.default_rng(seed).random((n, dim))
    else:
        raise PhotodoseInputError("sampler", sampler, "sobol | random")
    u.setflags(write=False)
    return u


def _values(ranges: tuple[InputRange, ...], n: int, seed: int, sampler: str) -> dict[str, np.ndarray]:
    u = _unit_sample(len(ranges), n, seed, sampler)
    return {r.name: r.ppf(u[:, i]) for i, r in enumerate(ranges)}


def sample_layers(site: str, wavelength_nm: float, skin_type: str, thickness_mm: dict | None,
                  tissue: dict | None, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-sample layer optics (S, L) of a site's stack at one wavelength, from sampled factors and shifts.

    Each layer's absorption is split as its preset composes it (Jacques 2013 eq. 12): blood
    B * mua_blood(lambda, S), melanin M * mua_mel(lambda) (pigmented layers), and the rest (water, fat, baseline).
    Samples: B x ``blood_volume.LAYER`` (one independent factor per layer), S + ``saturation`` (kept in [0, 1]),
    M x ``melanin``; a subcutaneous-fat layer's whole absorption x ``fat_absorption`` instead; mus x ``scattering``;
    finite thicknesses x ``thickness.LAYER``.
    Inputs absent from ``values`` stay nominal. Returns {"mua", "mus", "g", "n", "thickness_mm"} (thickness NaN for a
    semi-infinite last layer).
    """
    stack = body_stack(site, wavelength_nm, skin_type=skin_type, thickness_mm=thickness_mm, tissue=tissue)
    table = layer_table(site, thickness_mm, tissue)
    presets = tissue_presets()
    count = len(next(iter(values.values()))) if values else 1
    one = np.ones(count)

    def get(name: str, default: float) -> np.ndarray:
        return values.get(name, default * one)

    mua, mus, thk = [], [], []
    mel_nm = float(melanosome_mua_per_cm(wavelength_nm))
    for layer, row in zip(stack.layers, table):
        preset = presets[row["tissue"]]
        if row["tissue"] in FAT_PRESETS:
            mua.append(layer.mua_per_cm * get("fat_absorption", 1.0))
        else:
            b, s = preset.blood_fraction, preset.saturation
            m = melanosome_fraction(skin_type) if preset.pigmented else 0.0
            blood0 = b * float(blood_mua_per_cm(wavelength_nm, s))
            rest = max(layer.mua_per_cm - blood0 - m * mel_nm, 0.0)
            sat = np.clip(s + get("saturation", 0.0), 0.0, 1.0)
            blood = b * get(f"blood_volume.{layer.name}", 1.0) * np.asarray(blood_mua_per_cm(wavelength_nm, sat), float)
            mua.append(rest + blood + m * get("melanin", 1.0) * mel_nm)
        mus.append(layer.mus_per_cm * get("scattering", 1.0))
        thk.append(np.full(count, np.nan) if layer.thickness_mm is None
                   else layer.thickness_mm * get(f"thickness.{layer.name}", 1.0))
    arrays = stack.arrays()
    return {"mua": np.stack(mua, axis=1), "mus": np.stack(mus, axis=1),
            "g": np.broadcast_to(arrays["g"], (count, len(stack.layers))), "n": arrays["n"],
            "thickness_mm": np.stack(thk, axis=1), "n_above": stack.n_above, "n_below": stack.n_below}


def _solve(optics: dict, depths_mm) -> np.ndarray:
    return diffusion_fluence_per_irradiance_batch(optics["mua"], optics["mus"], optics["g"], optics["n"],
                                                  optics["thickness_mm"], depths_mm, n_above=optics["n_above"],
                                                  n_below=optics["n_below"])


@lru_cache(maxsize=256)
def _tissue_ratios(site: str, skin_type: str, thickness_key: tuple, tissue_key: tuple, wavelength_nm: int,
                   depths_mm: tuple, ranges: tuple[InputRange, ...], n: int, seed: int, sampler: str) -> np.ndarray:
    """r_s(z) = phi(z; x_s) / phi(z; x_0) (n, D) at one wavelength, from batched diffusion solves (cached)."""
    tissue_names = {r.name for r in ranges if is_tissue_input(r.name)}
    values = {k: v for k, v in _values(ranges, n, seed, sampler).items() if k in tissue_names}
    centre = {r.name: np.array([r.centre]) for r in ranges if r.name in tissue_names}
    thickness, tissue = dict(thickness_key) or None, dict(tissue_key) or None
    out = np.empty((n, len(depths_mm)))
    step = MAX_STACKS_PER_SOLVE - 1
    for start in range(0, n, step):
        chunk = {k: np.concatenate([centre[k], v[start:start + step]]) for k, v in values.items()}
        if not chunk:
            chunk = {"scattering": np.ones(min(step, n - start) + 1)}
        phi = _solve(sample_layers(site, float(wavelength_nm), skin_type, thickness, tissue, chunk), depths_mm)
        nominal = phi[:1]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = phi[1:] / nominal
        # below a finite stack phi is NaN (the plan counts it 0): a sample whose stack ends above z gets 0
        out[start:start + step] = np.where(np.isfinite(nominal) & (nominal > 0), np.nan_to_num(ratio, nan=0.0), 1.0)
    out.setflags(write=False)
    return out


def _irradiance_ratio(surface: SurfaceIrradiance, channel_ids: list[str], distance_mm: float,
                      sampled_mm: np.ndarray, ends_mm: tuple[float, float]) -> dict[str, np.ndarray]:
    """E_ch(d_s) / E_ch(d) per channel: quadratic in d through the exact values at ``ends_mm`` and ``distance_mm``."""
    if np.all(sampled_mm == distance_mm):
        return {cid: np.ones(len(sampled_mm)) for cid in channel_ids}
    points = np.array([ends_mm[0], distance_mm, ends_mm[1]])
    rows = [surface.mean_mw_cm2(float(d)) for d in points]
    out = {}
    for cid in channel_ids:
        coef = np.polyfit(points, [r[cid] for r in rows], 2)
        at_plan = np.polyval(coef, distance_mm)
        out[cid] = np.where(sampled_mm == distance_mm, 1.0, np.polyval(coef, sampled_mm) / at_plan)
    return out


def _distance_samples(rng: InputRange, distance_mm: float, values: np.ndarray) -> tuple[np.ndarray, tuple]:
    if rng.kind == "shift":
        lo, hi = max(distance_mm + rng.low, 0.0), distance_mm + rng.high
        return np.maximum(distance_mm + values, 0.0), (lo, hi)
    return distance_mm * values, (distance_mm * rng.low, distance_mm * rng.high)


def _share_inside(doses: np.ndarray, window) -> float | None:
    if window is None:
        return None
    return float(np.mean([verdict(float(x), window.low_j_cm2, window.high_j_cm2) == "inside" for x in doses]))


def dose_distribution(tissue, channels, lights, session_s: float, target_depth_mm: float, skin_window,
                      target_window, device, distance_mm: float, *, surface: SurfaceIrradiance | None = None,
                      n_samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, ranges=None,
                      sampler: Literal["sobol", "random"] = "sobol", contact: bool | None = None) -> DoseDistribution:
    """The plan's dose at the target and over depth as a distribution (model: module docstring).

    ``tissue``: the plan's :class:`~photodose.dosimetry.session_dose.TissueModel`; ``channels`` and ``lights``
    (same order): the device channels and their :class:`~photodose.dosimetry.session_dose.ChannelLight` at the
    plan's distance; ``session_s``: the exposure time the dose is computed with [s]; ``target_depth_mm``: the
    target depth [mm]; ``skin_window`` / ``target_window``: DoseWindow or None; ``device``: the Device;
    ``distance_mm``: the plan's distance [mm]; ``surface``: the plan's SurfaceIrradiance (built from ``device``
    when None); ``ranges``: the sampled inputs (default :func:`input_ranges`); ``contact``: fix the distance
    (a laser probe's points). ``n_samples`` Sobol points (a power of 2) with ``seed``.
    """
    if not (isinstance(n_samples, int) and 8 <= n_samples <= 65536):
        raise PhotodoseInputError("n_samples", n_samples, "an integer from 8 to 65536 (a power of 2 for sobol)")
    ranges = tuple(ranges) if ranges is not None else input_ranges(tissue, channels, device, distance_mm,
                                                                    contact=contact)
    values = _values(ranges, n_samples, seed, sampler)
    depths = tuple(CURVE_DEPTHS_MM) + (float(target_depth_mm),)
    keys = (tuple(sorted((str(k), float(v)) for k, v in (tissue.thickness_mm or {}).items())),
            tuple(sorted((str(k), str(v)) for k, v in (tissue.tissue or {}).items())))
    dist_range = next(r for r in ranges if r.name == "distance")
    sampled_mm, ends = _distance_samples(dist_range, distance_mm, values["distance"])
    ids = [c.id for c in channels]
    if surface is None and not np.all(sampled_mm == distance_mm):
        surface = SurfaceIrradiance(device, ids)
    geometry = _irradiance_ratio(surface, ids, distance_mm, sampled_mm, ends)
    output = values[next(r.name for r in ranges if r.name.startswith("device_output"))]

    target = np.zeros(n_samples)
    curve = np.zeros((n_samples, len(CURVE_DEPTHS_MM)))
    skin = np.zeros(n_samples)
    for ch, light in zip(channels, lights):
        ratio = _tissue_ratios(tissue.site, tissue.skin_type, *keys, round(light.wavelength_nm), depths,
                               ranges, n_samples, seed, sampler)
        irradiance = light.irradiance_mw_cm2 * output * geometry[ch.id]
        skin = skin + fluence_j_cm2(irradiance, session_s)
        target = target + depth_fluence_j_cm2(irradiance, session_s, light.phi_target * ratio[:, -1])
        curve = curve + depth_fluence_j_cm2(irradiance[:, None], session_s,
                                            np.asarray(light.phi_curve)[None, :] * ratio[:, :-1])
    nominal_target = sum(float(depth_fluence_j_cm2(l.irradiance_mw_cm2, session_s, l.phi_target)) for l in lights)
    nominal_skin = sum(float(fluence_j_cm2(l.irradiance_mw_cm2, session_s)) for l in lights)
    t5, t50, t95 = (float(v) for v in np.percentile(target, QUANTILES))
    s5, s50, s95 = (float(v) for v in np.percentile(skin, QUANTILES))
    band = np.percentile(curve, QUANTILES, axis=0)
    keys_cited = sorted({k for r in ranges for k in r.citations})
    return DoseDistribution(
        target_depth_mm=float(target_depth_mm), fluence_j_cm2=t50, fluence_j_cm2_interval=(t5, t95),
        nominal_fluence_j_cm2=nominal_target, skin_fluence_j_cm2=s50, skin_fluence_j_cm2_interval=(s5, s95),
        nominal_skin_fluence_j_cm2=nominal_skin,
        skin_probability_inside=_share_inside(skin, skin_window),
        target_probability_inside=_share_inside(target, target_window),
        probability_standard_error=float(np.sqrt(0.25 / n_samples)),
        inputs=ranges, citations={k: cite(k) for k in keys_cited}, n_samples=n_samples, seed=seed,
        sampler=("scrambled Sobol (scipy.stats.qmc)" if sampler == "sobol" else "plain random (numpy)"),
        model=("plan's phi scaled by the relative change of 1-D delta-Eddington diffusion at each channel's centre "
               "wavelength; device output and distance through the device's emitter model"),
        depth_band=DepthBand(depth_mm=tuple(CURVE_DEPTHS_MM), p5_j_cm2=tuple(float(v) for v in band[0]),
                             p50_j_cm2=tuple(float(v) for v in band[1]), p95_j_cm2=tuple(float(v) for v in band[2])))
