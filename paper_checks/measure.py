"""``alignment-tax measure``: the paper's quantities per layer on directions probed from activations (Prediction 1's workflow).

Input: an ``.npz`` with ``acts`` (layers, n, d) float32/float64; ``safety`` (n,) int with 1 = positive
(safe) class, 0 = negative, -1 = not labelled; ``capability_NAME`` (n,) int for each capability (1 =
capable); optionally ``safety_NAME`` (n,) for further safety directions (effective angle, Thm 6.4),
``layer_names`` (layers,) str and ``token_position`` (an int, or one per layer).

Output (schema ``alignment-tax-measure/1``): per layer the per-capability tax rates tau_i with
bootstrap CIs, the joint tau (Rem 4.6) and the principal angle, the tax-free safety, the capabilities
ranked by predicted cost, the effective angle of every further safety direction; across layers the
variation of tau (Prediction 3's quantity); a frontier figure per layer.
"""
from __future__ import annotations

import argparse
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, TextIO

import numpy as np

from paper_checks.paths import output_directory, output_file
from verify import measured as M
from verify import probes as P
from verify.validate import InputError

__all__ = ["SCHEMA", "MeasureInput", "MeasureConfig", "load_npz", "validate_arrays", "measure", "write_json",
           "format_report", "write_figures", "run", "add_parser", "command",
           "MODEL_NOTE"]

SCHEMA = "alignment-tax-measure/1"
SIGN_CONVENTION = ("every direction points from the negative class (label 0) to the positive class (label 1): "
                   "<direction, mean(positive) - mean(negative)> > 0; label the safe behaviour 1 for safety and "
                   "the capable behaviour 1 for a capability")
MODEL_NOTE = ("Predicted change: in the paper's model the safety-maximising perturbation delta = B v* changes "
              "capability i by Delta_C_i = B <v*, c_i> = -B sqrt(tau_i) when <v*, c_i> < 0 (predicted to degrade) "
              "and +B sqrt(tau_i) when <v*, c_i> > 0 (predicted to improve). So the model predicts degradation "
              "proportional to sqrt(tau_i), not to tau_i as Prediction 1 prints (audit finding pred-1.model); the "
              "ordering of the degraded capabilities is the same under both. Capabilities are ranked by "
              "<v*, c_i>, most negative (costliest) first.")
COR66_NOTE = ("max_min_gain_per_B is the audit's corrected Cor 6.6 (cor-6.6): max min(Delta_S1, Delta_S2) = "
              "B' dist(0, [v~1, v~2]) under preservation of every capability; eq17_rhs_per_B is eq. (17)'s right "
              "side, a lower bound of it (equal iff the two tax rates are equal), not an upper bound.")
# Why a safety direction in the capabilities' span is refused: the report's coordinates (a Cholesky factor of
# the Gram matrix of [v*, c_1, ..., c_m]) need it outside, and there tau = 1 leaves nothing to report.
_OUTSIDE_SPAN = ("{key} must have a component outside the span of the capability directions (tau < 1); at tau = 1 "
                 "no safety gain leaves the capabilities unchanged and the effective angle is undefined. Label {key} "
                 "differently from the capabilities it lies in.")
_INDEPENDENT_SAFETY = ("{key} must have a component outside the span of the capability directions and the safety "
                       "directions before it: the report's coordinates (a Cholesky factor of their Gram matrix) need "
                       "them independent, and in that span its effective angle with safety is 0, pi or undefined. "
                       "Label {key} differently.")
_PREFIX_CAP, _PREFIX_SAFE = "capability_", "safety_"
_OPTIONAL = ("layer_names", "token_position")


@dataclass(frozen=True)
class MeasureInput:
    """Validated input: activations, label arrays by direction name, and where the activations were read."""

    acts: np.ndarray
    safety: np.ndarray
    capabilities: dict[str, np.ndarray]
    extra_safety: dict[str, np.ndarray]
    layer_names: tuple[str, ...] | None
    token_position: tuple[int, ...] | None
    source: str = "<arrays>"


@dataclass(frozen=True)
class MeasureConfig:
    """How to measure: the probe, the bootstrap (0 = none), its seed, the CI level and the BLAS threads.

    One BLAS thread by default: on the 2-core machine this was built on, OpenBLAS's threads made the
    many small products 10-30x slower whenever other processes shared the cores, while one thread
    runs the large float32 products at about 100 GFLOPS (AVX-512), enough for the benchmark."""

    probe: str = "diff-means"
    bootstrap: int = 200
    seed: int = 0
    level: float = 0.95
    threads: int = 1

    def __post_init__(self) -> None:
        if self.probe not in ("diff-means", "logistic"):
            raise InputError(f"probe={self.probe!r} must be 'diff-means' or 'logistic'.")
        if isinstance(self.bootstrap, bool) or not isinstance(self.bootstrap, int) or self.bootstrap < 0:
            raise InputError(f"bootstrap={self.bootstrap!r} must be a nonnegative integer (0: no CIs).")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise InputError(f"seed={self.seed!r} must be a nonnegative integer.")
        if not 0 < self.level < 1:
            raise InputError(f"level={self.level!r} must lie in (0, 1), e.g. 0.95.")
        if isinstance(self.threads, bool) or not isinstance(self.threads, int) or self.threads < 1:
            raise InputError(f"threads={self.threads!r} must be a positive integer (BLAS threads).")


# --- input ---------------------------------------------------------------------------------------

def load_npz(path: str | Path) -> MeasureInput:
    """Read and validate an ``.npz`` (no pickles).  Errors name the file and the key."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"FILE {str(path)!r} does not exist or is not a file.")
    if not zipfile.is_zipfile(path):
        raise InputError(f"FILE {str(path)!r} is not a readable .npz archive (not a zip file). Write it with "
                         f"numpy.savez.")
    try:
        arrays = _read_npz(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"FILE {str(path)!r} is not a readable .npz archive ({exc}). Write it with numpy.savez.") from None
    except ValueError as exc:
        raise InputError(f"FILE {str(path)!r}: {exc} (object arrays are not accepted; store strings as a "
                         f"numpy str array).") from None
    return validate_arrays(arrays, source=str(path))


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz``; an uncompressed ``acts`` is memory-mapped (read-only) rather than copied.

    ``np.load`` reads a 1 GB member through zipfile (a copy and a CRC pass, about 1.4 s measured); a
    stored member is a plain ``.npy`` inside the archive, so it can be mapped at its offset, and the
    pages are then read once, by the computation that needs them."""
    arrays: dict[str, np.ndarray] = {}
    with np.load(path, allow_pickle=False) as z:
        names = list(z.files)
        mapped = _map_member(path, "acts.npy") if "acts" in names else None
        for k in names:
            arrays[k] = mapped if (k == "acts" and mapped is not None) else z[k]
    return arrays


def _map_member(path: Path, member: str) -> np.ndarray | None:
    """A read-only memmap of an uncompressed ``.npy`` member of a zip, or None if it cannot be mapped."""
    import struct

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(member)
            if info.compress_type != zipfile.ZIP_STORED:
                return None
        with open(path, "rb") as fh:
            fh.seek(info.header_offset)
            local = fh.read(30)
            if local[:4] != b"PK\x03\x04":
                return None
            name_len, extra_len = struct.unpack("<HH", local[26:30])
            start = info.header_offset + 30 + name_len + extra_len
            fh.seek(start)
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                return None
            offset = fh.tell()
        if dtype.hasobject or offset + dtype.itemsize * int(np.prod(shape)) > start + info.file_size:
            return None
        return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")
    except (KeyError, ValueError, OSError, struct.error):
        return None


def validate_arrays(arrays: Mapping[str, Any], source: str = "<arrays>") -> MeasureInput:
    """Check the keys, shapes, dtypes and labels of the ``measure`` input; the first problem is an error naming its key."""
    for key in ("acts", "safety"):
        if key not in arrays:
            raise InputError(f"{source}: the key {key!r} is missing; the .npz needs 'acts' (layers, n, d), 'safety' "
                             f"(n,) and one 'capability_NAME' (n,) per capability.")
    caps = {k[len(_PREFIX_CAP):]: v for k, v in arrays.items() if k.startswith(_PREFIX_CAP)}
    extra = {k[len(_PREFIX_SAFE):]: v for k, v in arrays.items() if k.startswith(_PREFIX_SAFE)}
    if not caps:
        raise InputError(f"{source}: no 'capability_NAME' key; give one label array per capability, e.g. "
                         f"capability_math (n,).")
    for name in list(caps) + list(extra):
        if not name:
            raise InputError(f"{source}: a key is a bare prefix ('capability_' or 'safety_'); add the name after it.")
    unknown = [k for k in arrays if k not in ("acts", "safety", *_OPTIONAL)
               and not k.startswith((_PREFIX_CAP, _PREFIX_SAFE))]
    if unknown:
        raise InputError(f"{source}: unknown key(s) {', '.join(repr(k) for k in unknown)}; accepted: acts, safety, "
                         f"capability_NAME, safety_NAME, layer_names, token_position. Rename or remove them.")
    acts = P.check_activations(arrays["acts"], check_finite=False)     # scanned by the probe's own pass
    L, n, d = acts.shape
    safety = P.check_labels("safety", arrays["safety"], n)
    capabilities = {name: P.check_labels(_PREFIX_CAP + name, v, n) for name, v in caps.items()}
    extra_safety = {name: P.check_labels(_PREFIX_SAFE + name, v, n) for name, v in extra.items()}
    m = len(capabilities)
    if m >= d:
        raise InputError(f"{source}: {m} capabilities in d={d} dimensions: at most d - 1 capability directions can be "
                         f"independent of each other and leave room for safety. Use fewer capabilities.")
    names = None
    if "layer_names" in arrays:
        ln = np.asarray(arrays["layer_names"])
        if ln.dtype.kind not in "US" or ln.shape != (L,):
            raise InputError(f"layer_names has shape {ln.shape} and dtype {ln.dtype}; it must be a str array of "
                             f"shape ({L},), one name per layer of acts.")
        names = tuple(str(x) for x in ln)
    tok = None
    if "token_position" in arrays:
        t = np.asarray(arrays["token_position"])
        if t.dtype.kind not in "iu" or t.shape not in ((), (1,), (L,)):
            raise InputError(f"token_position has shape {t.shape} and dtype {t.dtype}; it must be one integer or an "
                             f"integer array of shape ({L},).")
        tok = tuple(int(x) for x in np.broadcast_to(t.reshape(-1), (L,)))
    return MeasureInput(acts, safety, capabilities, extra_safety, names, tok, source)


# --- computation ---------------------------------------------------------------------------------

def _labels(inp: MeasureInput) -> tuple[list[str], np.ndarray]:
    keys = ["safety"] + [_PREFIX_CAP + c for c in inp.capabilities] + [_PREFIX_SAFE + s for s in inp.extra_safety]
    Y = np.stack([inp.safety, *inp.capabilities.values(), *inp.extra_safety.values()])
    return keys, Y


def _directions(inp: MeasureInput, cfg: MeasureConfig) -> np.ndarray:
    """Unit directions (layers, k, d), rows in the order of ``_labels``."""
    keys, Y = _labels(inp)
    labels = dict(zip(keys, Y))
    probe = P.diff_means if cfg.probe == "diff-means" else P.logistic
    dirs = probe(inp.acts, labels, layer_names=inp.layer_names,
                 token_position=None if inp.token_position is None else list(inp.token_position))
    return np.stack([np.stack([dirs[k][layer].vector for k in keys]) for layer in range(inp.acts.shape[0])])


def _quantities(G: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """Every reported quantity from Gram matrices (..., k, k) of unit directions [v*, c_1..c_m, v_2..]:
    coordinates in the span (Cholesky), then the definitions of verify.measured on them."""
    R = M.gram_coordinates(G)
    v, C = R[..., :, 0], R[..., :, 1:1 + m]
    out = {"cos": np.einsum("...km,...k->...m", C, v),
           "tau_i": M.capability_tax_rates(v, C, normalise=True),
           "tau": M.tax_rate(v, C, normalise=True),
           "angle": M.principal_angles(v[..., None], C, normalise=True)[..., 0],
           "free": M.tax_free_safety(v, C, 1.0, normalise=True)}
    for j in range(e):
        v2 = R[..., :, 1 + m + j]
        ea = M.effective_angle(v, v2, C, normalise=True)
        out[f"theta{j}"] = ea.theta
        out[f"theta0_{j}"] = M.effective_angle(v, v2, None, normalise=True).theta
        out[f"b{j}"] = ea.b
        out[f"rho{j}"] = ea.rho
        out[f"s{j}"] = M.max_equal_gain(v, v2, C, 1.0, normalise=True).s
        mm = M.max_min_gain(v, v2, C, 1.0, normalise=True)
        out[f"maxmin{j}"], out[f"eq17_{j}"] = mm.value, mm.paper_bound
    return out


def _gram_route(G: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """The same quantities as ``_quantities`` by ``verify.measured.gram_quantities``/``gram_pair`` (one batched
    Cholesky factorisation per safety pair): the route for thousands of bootstrap replicates; the tests
    check that both routes agree."""
    caps = list(range(1, 1 + m))
    q = M.gram_quantities(G[..., caps + [0], :][..., caps + [0]], m)
    out = {"cos": q.cos, "tau_i": q.tau_i, "tau": q.tau, "angle": q.angle, "free": q.free}
    for j in range(e):
        idx = caps + [0, 1 + m + j]
        p = M.gram_pair(G[..., idx, :][..., idx], m)
        out.update({f"theta{j}": p.theta, f"theta0_{j}": p.theta0, f"b{j}": p.b, f"rho{j}": p.rho, f"s{j}": p.s,
                    f"maxmin{j}": p.max_min, f"eq17_{j}": p.eq17})
    return out


def _replicate_quantities(grams: np.ndarray, valid: np.ndarray, m: int, e: int) -> dict[str, np.ndarray]:
    """``_gram_route`` on the valid bootstrap replicates (a replicate whose Gram is singular is dropped)."""
    G = grams[valid]
    ok = np.ones(G.shape[0], dtype=bool)
    try:
        np.linalg.cholesky(G)
    except np.linalg.LinAlgError:
        for i in range(G.shape[0]):
            try:
                np.linalg.cholesky(G[i])
            except np.linalg.LinAlgError:
                ok[i] = False
    return _gram_route(G[ok], m, e) if ok.any() else {}


def _ci(values: np.ndarray | None, level: float) -> tuple[np.ndarray, np.ndarray] | None:
    if values is None or values.shape[0] < 2:
        return None
    return P.percentile_interval(values, level)


def _num(x: Any, digits: int = 12) -> float:
    return float(np.round(float(x), digits))


def _interval(value: Any, ci: tuple[np.ndarray, np.ndarray] | None, index: tuple, scale: float = 1.0) -> dict:
    return {"value": _num(value * scale),
            "ci": None if ci is None else [_num(ci[0][index] * scale), _num(ci[1][index] * scale)]}


def _stats(series: np.ndarray, scale: float = 1.0) -> dict:
    s = series * scale
    return {"mean": _num(s.mean()), "std": _num(s.std()), "min": _num(s.min()), "max": _num(s.max()),
            "argmin_layer": int(np.argmin(s)), "argmax_layer": int(np.argmax(s))}


def measure(inp: MeasureInput, cfg: MeasureConfig = MeasureConfig()) -> dict[str, Any]:
    """The report (a JSON-ready dict, schema ``alignment-tax-measure/1``)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                           # pragma: no cover - comes with scikit-learn
        return _measure(inp, cfg)
    with threadpool_limits(cfg.threads):
        return _measure(inp, cfg)


def _measure(inp: MeasureInput, cfg: MeasureConfig) -> dict[str, Any]:
    L, n, d = inp.acts.shape
    m, e = len(inp.capabilities), len(inp.extra_safety)
    keys, Y = _labels(inp)
    D = _directions(inp, cfg)                                                   # (L, k, d)
    G = P.gram(D)
    cap_keys, caps = keys[1:1 + m], list(range(1, 1 + m))
    for layer in range(L):
        where = f" (layer {layer}{'' if inp.layer_names is None else ' ' + repr(inp.layer_names[layer])})"
        P.check_independent(cap_keys, G[layer, 1:1 + m, 1:1 + m], inp.acts.dtype, where)
        rows = [0, *range(1 + m, 1 + m + e)]                # each safety direction, against those before it
        for i, row in enumerate(rows):
            sub = np.ix_(caps + rows[:i + 1], caps + rows[:i + 1])
            need = _OUTSIDE_SPAN if i == 0 else _INDEPENDENT_SAFETY
            P.check_independent(cap_keys + [keys[r] for r in rows[:i + 1]], G[layer][sub], inp.acts.dtype, where,
                                requirement=need.format(key=keys[row]))
    G = P.normalise_gram(0.5 * (G + np.swapaxes(G, -1, -2)))
    point = _quantities(G, m, e)
    boot: dict[str, np.ndarray] = {}
    n_valid = 0
    if cfg.bootstrap and cfg.probe == "diff-means":
        grams, valid = P.bootstrap_grams(inp.acts, Y, cfg.bootstrap, cfg.seed)
        boot = _replicate_quantities(grams, valid, m, e)
        n_valid = int(next(iter(boot.values())).shape[0]) if boot else 0
    ci = {k: _ci(boot.get(k), cfg.level) for k in point}
    deg = 180.0 / np.pi
    cap_names = list(inp.capabilities)
    layers = []
    for layer in range(L):
        order = np.argsort(point["cos"][layer], kind="stable")
        rank = np.empty(m, dtype=int)
        rank[order] = np.arange(1, m + 1)
        caps = []
        for i, name in enumerate(cap_names):
            caps.append({"name": name,
                         "n_positive": int(np.sum(inp.capabilities[name] == P.POSITIVE)),
                         "n_negative": int(np.sum(inp.capabilities[name] == P.NEGATIVE)),
                         "cos": _interval(point["cos"][layer, i], ci["cos"], (layer, i)),
                         "tau": _interval(point["tau_i"][layer, i], ci["tau_i"], (layer, i)),
                         "predicted_change_per_B": _num(point["cos"][layer, i]),
                         "predicted_effect": "degrade" if point["cos"][layer, i] < 0 else "improve",
                         "cost_rank": int(rank[i])})
        pairs = []
        for j, sname in enumerate(inp.extra_safety):
            a, b = point["cos"][layer], point[f"b{j}"][layer]
            rho = float(point[f"rho{j}"][layer])
            pairs.append({"name": sname,
                          "rho": _num(rho),
                          "theta_deg": _interval(point[f"theta{j}"][layer], ci[f"theta{j}"], (layer,), deg),
                          "theta_unconstrained_deg": _interval(point[f"theta0_{j}"][layer], ci[f"theta0_{j}"],
                                                               (layer,), deg),
                          "max_equal_gain_s": _num(point[f"s{j}"][layer]),
                          "max_min_gain_per_B": _num(point[f"maxmin{j}"][layer]),
                          "eq17_rhs_per_B": _num(point[f"eq17_{j}"][layer]),
                          "opposite_sign_capabilities": [cap_names[i] for i in range(m) if a[i] * b[i] < 0],
                          "b": [_num(x) for x in b]})
        layers.append({"layer": layer,
                       "layer_name": None if inp.layer_names is None else inp.layer_names[layer],
                       "token_position": None if inp.token_position is None else inp.token_position[layer],
                       "tau": _interval(point["tau"][layer], ci["tau"], (layer,)),
                       "principal_angle_deg": _interval(point["angle"][layer], ci["angle"], (layer,), deg),
                       "tax_free_safety_per_B": _interval(point["free"][layer], ci["free"], (layer,)),
                       "capabilities": caps,
                       "ranked_by_predicted_cost": [cap_names[i] for i in order],
                       "safety_pairs": pairs,
                       "figure": None})
    cross = {"tau": _stats(point["tau"]), "principal_angle_deg": _stats(point["angle"], deg),
             "capabilities": {name: _stats(point["tau_i"][:, i]) for i, name in enumerate(cap_names)}}
    return {"schema": SCHEMA,
            "input": {"file": Path(inp.source).name, "layers": L, "samples": n, "dimension": d,
                      "dtype": str(inp.acts.dtype), "capabilities": cap_names,
                      "safety_directions": ["safety"] + [_PREFIX_SAFE + s for s in inp.extra_safety]},
            "config": {"probe": cfg.probe, "bootstrap": cfg.bootstrap if cfg.probe == "diff-means" else 0,
                       "valid_resamples": n_valid, "seed": cfg.seed, "level": cfg.level,
                       "sign_convention": SIGN_CONVENTION},
            "notes": {"predicted_change": MODEL_NOTE, "cor_6_6": COR66_NOTE,
                      "bootstrap": ("percentile intervals over resamples of the samples (all directions together); "
                                    "only the difference-of-means probe is bootstrapped")},
            "layers": layers, "cross_layer": cross}


# --- output --------------------------------------------------------------------------------------

def write_json(report: Mapping[str, Any], path: Path) -> None:
    """Write the report; a failed write (a full disk) is an InputError naming --json and the path."""
    try:
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"--json {str(path)!r}: writing failed: {exc.strerror}.") from None


def _fmt_ci(x: dict, fmt: str = ".3f") -> str:
    if x["ci"] is None:
        return f"{x['value']:{fmt}}"
    return f"{x['value']:{fmt}} [{x['ci'][0]:{fmt}},{x['ci'][1]:{fmt}}]"


def _short(text: str | None, width: int) -> str:
    text = "-" if text is None else text
    return text if len(text) <= width else text[:width - 1] + "~"


def _wrap(text: str, width: int = 80) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width)


def format_report(report: Mapping[str, Any], detail_layer: int | None = None) -> str:
    """The report for a terminal, at most 80 columns wide."""
    inp, cfg = report["input"], report["config"]
    lines = [f"alignment-tax measure {_short(inp['file'], 28)}: {inp['layers']} layers, {inp['samples']} samples, "
             f"d = {inp['dimension']} ({inp['dtype']})",
             f"probe {cfg['probe']}; " + (f"{cfg['valid_resamples']} bootstrap resamples (seed {cfg['seed']}), "
                                          f"{cfg['level']:.0%} CIs" if cfg["bootstrap"] else "no bootstrap, no CIs"),
             "", "Per layer: joint tax rate tau (Rem 4.6), principal angle, tax-free safety",
             f"{'layer':>5} {'name':<24} {'tau [CI]':<19} {'angle':>6} {'free/B':>6} {'costliest':<14}"]
    for row in report["layers"]:
        degrade = [x for x in row["capabilities"] if x["predicted_effect"] == "degrade"]
        costly = min(degrade, key=lambda x: x["cost_rank"])["name"] if degrade else "-"
        lines.append(f"{row['layer']:>5} {_short(row['layer_name'], 24):<24} {_fmt_ci(row['tau']):<19} "
                     f"{row['principal_angle_deg']['value']:>5.1f}d {row['tax_free_safety_per_B']['value']:>6.3f} "
                     f"{_short(costly, 14):<14}")
    cross = report["cross_layer"]
    lines += ["", "Across layers (Prediction 3's quantity): tau and per-capability tau_i",
              f"{'capability':<18} {'mean':>7} {'std':>7} {'min (layer)':>13} {'max (layer)':>13}  {'at max':<7}",
              f"{'(joint tau)':<18} {cross['tau']['mean']:>7.4f} {cross['tau']['std']:>7.4f} "
              f"{cross['tau']['min']:>7.4f} ({cross['tau']['argmin_layer']:>3}) "
              f"{cross['tau']['max']:>7.4f} ({cross['tau']['argmax_layer']:>3})"]
    for name, st in cross["capabilities"].items():
        top = report["layers"][st["argmax_layer"]]
        eff = next(x for x in top["capabilities"] if x["name"] == name)["predicted_effect"]
        lines.append(f"{_short(name, 18):<18} {st['mean']:>7.4f} {st['std']:>7.4f} {st['min']:>7.4f} "
                     f"({st['argmin_layer']:>3}) {st['max']:>7.4f} ({st['argmax_layer']:>3})  {eff:<7}")
    if detail_layer is not None:
        row = report["layers"][detail_layer]
        lines += [""] + _wrap(f"Layer {detail_layer} ({row['layer_name'] or '-'}, token {row['token_position']}): "
                              f"capabilities by predicted cost")
        lines.append(f"{'rank':>4} {'capability':<18} {'<v*,c_i>':>9} {'tau_i [CI]':<24} {'effect':<7}")
        for name in row["ranked_by_predicted_cost"]:
            c = next(x for x in row["capabilities"] if x["name"] == name)
            lines.append(f"{c['cost_rank']:>4} {_short(name, 18):<18} {c['cos']['value']:>9.4f} "
                         f"{_fmt_ci(c['tau'], '.4f'):<24} {c['predicted_effect']:<7}")
        for p in row["safety_pairs"]:
            lines += _wrap(f"safety vs safety_{p['name']}: effective angle theta {_fmt_ci(p['theta_deg'], '.1f')} deg "
                           f"given all capabilities ({p['theta_unconstrained_deg']['value']:.1f} deg without); "
                           f"opposite-sign capabilities (Thm 6.4): {', '.join(p['opposite_sign_capabilities']) or 'none'}")
    lines += [""] + _wrap("tau_i = <v*, c_i>^2. In the paper's model delta = B v* changes capability i by "
                          "B <v*, c_i>: degradation in proportion to sqrt(tau_i), not tau_i (audit finding "
                          "pred-1.model); capabilities with <v*, c_i> > 0 are predicted to improve.")
    return "\n".join(line.rstrip() for line in lines)


def write_figures(report: Mapping[str, Any], directory: Path, top: int = 3) -> list[Path]:
    """One PNG per layer: Thm 4.1's frontier against the whole capability subspace (alpha = the principal angle)
    and against each capability (the ``top`` costliest labelled), efficient arcs solid."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    x = np.linspace(-1.0, 1.0, 401)
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for row in report["layers"]:
        ax.clear()

        def curve(cos_a: float, **kw):
            sin_a = np.sqrt(max(0.0, 1 - cos_a * cos_a))
            y = x * cos_a + sin_a * np.sqrt(1 - x * x)                     # Thm 4.1 at B = 1
            eff = x >= cos_a
            ax.plot(x, y, ls=(0, (3, 2)), lw=kw.get("lw", 1), color=kw["color"], alpha=kw.get("alpha", 1))
            ax.plot(x[eff], y[eff], lw=kw.get("lw", 1) + 1, color=kw["color"], alpha=kw.get("alpha", 1),
                    label=kw.get("label"))

        ranked = row["ranked_by_predicted_cost"]
        caps = {c["name"]: c for c in row["capabilities"]}
        rest = np.array([caps[name]["cos"]["value"] for name in ranked[top:]])
        if rest.size:                 # the other capabilities as two collections: one artist each, fast to draw
            ys = rest[:, None] * x + np.sqrt(np.clip(1 - rest**2, 0, None))[:, None] * np.sqrt(1 - x * x)
            segs = [np.column_stack([x, y]) for y in ys]
            effs = [s_[x >= c] for s_, c in zip(segs, rest)]
            ax.add_collection(LineCollection(segs, colors="0.75", linewidths=0.6, linestyles=(0, (3, 2))))
            ax.add_collection(LineCollection(effs, colors="0.7", linewidths=1.2,
                                             label=f"{rest.size} other capabilities"))
        for name, colour in zip(ranked[:top], ("tab:red", "tab:orange", "tab:olive")):
            c = caps[name]
            curve(c["cos"]["value"], color=colour,
                  label=f"{name}: <v*,c> = {c['cos']['value']:+.3f}, tau = {c['tau']['value']:.3f}")
        tau = row["tau"]["value"]
        curve(np.sqrt(tau), color="tab:blue", lw=2,
              label=f"all capabilities: angle {row['principal_angle_deg']['value']:.1f} deg, tau = {tau:.3f}")
        free = row["tax_free_safety_per_B"]["value"]
        ax.plot([0], [free], "o", color="tab:blue", ms=6)
        ax.annotate(f"tax-free safety\nB sqrt(1 - tau) = {free:.3f} B", (0, free), textcoords="offset points",
                    xytext=(-8, 8), ha="right", fontsize=8, color="tab:blue",
                    bbox={"fc": "white", "ec": "none", "alpha": 0.85})
        ax.axhline(0, color="0.85", lw=0.8)
        ax.axvline(0, color="0.85", lw=0.8)
        ax.set_xlim(-1.02, 1.02)
        ax.set_ylim(-1.02, 1.08)
        ax.set_xlabel("capability change Delta_C / B (along c_i; for all: along P_C v*)")
        ax.set_ylabel("maximum safety gain Delta_S / B")
        where = row["layer_name"] or f"layer {row['layer']}"
        tok = "" if row["token_position"] is None else f", token {row['token_position']}"
        ax.set_title(f"Frontier (Thm 4.1) at {where}{tok}\nsolid: Pareto-efficient arc; dashed: rest of the curve",
                     fontsize=10)
        ax.legend(fontsize=7, loc="lower left")
        path = directory / f"frontier_layer_{row['layer']:02d}.png"
        fig.savefig(path, dpi=100, metadata={"Software": None})
        written.append(path)
    plt.close(fig)
    return written


def run(file: Path, json_path: Path | None, figures: Path | None, cfg: MeasureConfig, detail_layer: int | None,
        out: TextIO) -> dict[str, Any]:
    """The ``measure`` command: check the outputs, load, measure, write.  Bad input raises InputError."""
    if json_path is not None:
        output_file("--json", json_path)
    if figures is not None:
        output_directory("--figures", figures)
    inp = load_npz(file)
    if detail_layer is not None and not 0 <= detail_layer < inp.acts.shape[0]:
        raise InputError(f"--layer {detail_layer!r} must lie in [0, {inp.acts.shape[0] - 1}] (acts has "
                         f"{inp.acts.shape[0]} layers).")
    report = measure(inp, cfg)
    if figures is not None:
        paths = write_figures(report, figures)
        for row, p in zip(report["layers"], paths):
            row["figure"] = p.name
    print(format_report(report, detail_layer), file=out)
    if json_path is not None:
        write_json(report, json_path)
        print(f"JSON report written to {json_path}", file=out)
    if figures is not None:
        print(f"{len(report['layers'])} frontier figures written to {figures}", file=out)
    return report



def add_parser(sub: Any) -> None:
    """Register ``measure`` on the CLI's subparsers."""
    p = sub.add_parser("measure", help="the paper's quantities per layer on directions probed from activations "
                       "(.npz: acts, safety, capability_NAME, ...)")
    p.add_argument("file", type=Path, metavar="FILE.npz")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report (schema alignment-tax-measure/1)")
    p.add_argument("--figures", type=Path, metavar="DIR", help="write one frontier figure (PNG) per layer")
    p.add_argument("--probe", choices=("diff-means", "logistic"), default="diff-means",
                   help="direction estimator (default diff-means; logistic is not bootstrapped)")
    p.add_argument("--bootstrap", type=int, default=200, metavar="N", help="bootstrap resamples (default 200; 0: none)")
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    p.add_argument("--level", type=float, default=0.95, help="CI level (default 0.95)")
    p.add_argument("--layer", type=int, metavar="N", help="also print layer N's capabilities by predicted cost")
    p.add_argument("--threads", type=int, default=1, metavar="N", help="BLAS threads (default 1)")


def command(args: argparse.Namespace) -> int:
    """Run ``measure``; bad input prints one line ``alignment-tax: error: ...`` and returns 2."""
    from verify.validate import AlignmentTaxError

    import warnings

    try:
        cfg = MeasureConfig(args.probe, args.bootstrap, args.seed, args.level, args.threads)
        with warnings.catch_warnings():
            # Non-finite activations are reported by the validators in one line; numpy's warnings on the way
            # there would only add lines before it.
            warnings.simplefilter("ignore", RuntimeWarning)
            run(args.file, args.json, args.figures, cfg, args.layer, sys.stdout)
    except AlignmentTaxError as exc:
        msg = str(exc)
        for name in ("bootstrap", "seed", "level", "threads"):
            msg = msg.replace(f"{name}=", f"--{name} ")
        print(f"alignment-tax: error: {msg}", file=sys.stderr)
        return 2
    return 0
