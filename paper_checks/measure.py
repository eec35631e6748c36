"""``alignment-tax measure``: the paper's quantities per layer on directions probed from activations (Prediction 1's workflow).

Input: an ``.npz`` with ``acts`` (layers, n, d) float32/float64; ``safety`` (n,) int with 1 = positive
(safe) class, 0 = negative, -1 = not labelled; ``capability_NAME`` (n,) int for each capability (1 =
capable); optionally ``safety_NAME`` (n,) for further safety directions (effective angle, Thm 6.4),
``layer_names`` (layers,) str and ``token_position`` (an int, or one per layer).  Any direction may be
given precomputed instead of labelled (a gradient, a steering vector): ``direction_safety``,
``direction_NAME`` (capability NAME), ``direction_safety_NAME``, each (layers, d); with only
precomputed directions ``acts`` may be left out.

Estimators: ``cross-fit`` (default; ``verify.crossfit``: every inner product from independent fold
splits, unbiased, with delete-one-fold jackknife intervals) or ``plug-in`` (the inner products of the
all-sample directions, shrunk toward 0 when d is not small against n; percentile bootstrap).  Directions:
``encoding`` (difference of class means) or ``readout`` (the Ledoit-Wolf shrinkage covariance's inverse
applied to it: the paper's v* and c_i are readout directions).

Output (schema ``alignment-tax-measure/2``): per layer the per-capability <v*, c_i> and tau_i with
intervals, the joint tau (Rem 4.6) and the principal angle, the tax-free safety, the capabilities ranked
by predicted cost (an effect is ``uncertain`` when the signed interval contains 0), the effective angle
of every further safety direction; across layers the variation of tau (Prediction 3's quantity);
warnings when the data cannot support the estimates; a frontier figure per layer; a flat CSV.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import zipfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TextIO
from collections.abc import Mapping

import numpy as np

from paper_checks.paths import output_directory, output_file
from verify import measured as M
from verify import probes as P
from verify.validate import InputError

__all__ = ["SCHEMA", "Estimator", "DirectionKind", "MeasureInput", "MeasureConfig", "load_npz", "validate_arrays",
           "measure", "write_json", "write_csv", "format_report", "write_figures", "run", "add_parser", "command",
           "MODEL_NOTE"]

SCHEMA = "alignment-tax-measure/2"
SIGN_CONVENTION = ("every direction points from the negative class (label 0) to the positive class (label 1): "
                   "<direction, mean(positive) - mean(negative)> > 0; label the safe behaviour 1 for safety and "
                   "the capable behaviour 1 for a capability")
MODEL_NOTE = ("Predicted change: in the paper's model the safety-maximising perturbation delta = B v* changes "
              "capability i by Delta_C_i = B <v*, c_i> = -B sqrt(tau_i) when <v*, c_i> < 0 (predicted to degrade) "
              "and +B sqrt(tau_i) when <v*, c_i> > 0 (predicted to improve); 'uncertain' when the interval of "
              "<v*, c_i> contains 0. So the model predicts degradation "
              "proportional to sqrt(tau_i), not to tau_i as Prediction 1 prints (audit finding pred-1.model); the "
              "ordering of the degraded capabilities is the same under both. Capabilities are ranked by "
              "<v*, c_i>, most negative (costliest) first.")
COR66_NOTE = ("max_min_gain_per_B is the audit's corrected Cor 6.6 (cor-6.6): max min(Delta_S1, Delta_S2) = "
              "B' dist(0, [v~1, v~2]) under preservation of every capability; eq17_rhs_per_B is eq. (17)'s right "
              "side, a lower bound of it (equal iff the two tax rates are equal), not an upper bound.")
DIRECTION_NOTE = ("The paper's v* and c_i are readout directions (Def 3.1: <v*, h> measures safety; Def 3.2: c_i is "
                  "the gradient of a capability metric). 'encoding' directions are differences of class means, which "
                  "agree with readout directions only under isotropic noise; 'readout' applies the inverse of the "
                  "Ledoit-Wolf shrinkage covariance of the activations to them (a regularised discriminant).")
ESTIMATOR_NOTES = {
    "cross-fit": ("cross-fitted: every inner product between two mean differences (squared norms included) is "
                  "averaged over pairs of different folds, so its two factors come from independent samples and "
                  "it is unbiased for the population inner product (the cross-validated distance of representational "
                  "similarity analysis); tau_i, the joint tau, angles follow from them. Intervals: delete-one-fold "
                  "jackknife with Student's t on K - 1 degrees of freedom, for the signed <v*, c_i> first; the "
                  "interval of tau_i is its image under squaring (it reaches 0 when the signed one contains 0)."),
    "plug-in": ("plug-in: inner products of the all-sample directions. Their noise (squared norm about "
                "4 sigma^2 d / n) shrinks every cosine toward 0 when d is not small against n; kept for comparison. "
                "Intervals: percentile bootstrap over resamples of the samples (difference of means only)."),
    "precomputed": "precomputed directions only: the quantities are exact functions of the given vectors; no "
                   "sampling, so no interval.",
}
# Why a safety direction in the capabilities' span is refused: the report's coordinates (a Cholesky factor of
# the Gram matrix of [v*, c_1, ..., c_m]) need it outside, and there tau = 1 leaves nothing to report.
_OUTSIDE_SPAN = ("{key} must have a component outside the span of the capability directions (tau < 1); at tau = 1 "
                 "no safety gain leaves the capabilities unchanged and the effective angle is undefined. Label {key} "
                 "differently from the capabilities it lies in.")
_INDEPENDENT_SAFETY = ("{key} must have a component outside the span of the capability directions and the safety "
                       "directions before it: the report's coordinates (a Cholesky factor of their Gram matrix) need "
                       "them independent, and in that span its effective angle with safety is 0, pi or undefined. "
                       "Label {key} differently.")
_PREFIX_CAP, _PREFIX_SAFE, _PREFIX_DIR = "capability_", "safety_", "direction_"
_OPTIONAL = ("layer_names", "token_position")
# A direction less than this share of whose squared norm replicates across folds is mostly noise.
_LOW_RELIABILITY = 0.5


class Estimator(str, Enum):
    """How inner products between estimated directions are estimated."""

    CROSS_FIT = "cross-fit"
    PLUG_IN = "plug-in"


class DirectionKind(str, Enum):
    """Which direction a label defines: the class-mean difference, or the shrinkage readout of it."""

    ENCODING = "encoding"
    READOUT = "readout"


@dataclass(frozen=True)
class MeasureInput:
    """Validated input: activations (None with precomputed directions only), label arrays and precomputed unit
    directions by key (``safety``, ``capability_NAME``, ``safety_NAME``), in report order, and where the
    activations were read."""

    acts: np.ndarray | None
    labels: dict[str, np.ndarray]
    precomputed: dict[str, np.ndarray]
    capability_names: tuple[str, ...]
    extra_safety_names: tuple[str, ...]
    layer_names: tuple[str, ...] | None
    token_position: tuple[int, ...] | None
    source: str = "<arrays>"

    @property
    def keys(self) -> list[str]:
        """Every direction's key: safety, then the capabilities, then the further safety directions."""
        return (["safety"] + [_PREFIX_CAP + c for c in self.capability_names]
                + [_PREFIX_SAFE + s for s in self.extra_safety_names])

    @property
    def capabilities(self) -> dict[str, np.ndarray | None]:
        """Capability name -> labels (None when precomputed)."""
        return {c: self.labels.get(_PREFIX_CAP + c) for c in self.capability_names}

    @property
    def extra_safety(self) -> dict[str, np.ndarray | None]:
        """Further safety direction name -> labels (None when precomputed)."""
        return {s: self.labels.get(_PREFIX_SAFE + s) for s in self.extra_safety_names}

    @property
    def shape(self) -> tuple[int, int, int]:
        """(layers, n, d); n = 0 without activations."""
        if self.acts is not None:
            return tuple(self.acts.shape)                               # type: ignore[return-value]
        L, d = next(iter(self.precomputed.values())).shape
        return L, 0, d


@dataclass(frozen=True)
class MeasureConfig:
    """How to measure: the estimator, the kind of direction, the probe, the folds, the intervals (bootstrap
    resamples for the plug-in estimator), the seed, the level and the BLAS threads.

    One BLAS thread by default: on the 2-core machine this was built on, OpenBLAS's threads made the
    many small products 10-30x slower whenever other processes shared the cores, while one thread
    runs the large float32 products at about 100 GFLOPS (AVX-512), enough for the benchmark."""

    probe: str = "diff-means"
    bootstrap: int = 200
    seed: int = 0
    level: float = 0.95
    threads: int = 1
    estimator: str = "cross-fit"
    direction: str = "encoding"
    folds: int = 10
    intervals: bool = True

    def __post_init__(self) -> None:
        if self.probe not in ("diff-means", "logistic"):
            raise InputError(f"probe={self.probe!r} must be 'diff-means' or 'logistic'.")
        if self.estimator not in {x.value for x in Estimator}:
            raise InputError(f"estimator={self.estimator!r} must be 'cross-fit' or 'plug-in'.")
        if self.direction not in {x.value for x in DirectionKind}:
            raise InputError(f"direction={self.direction!r} must be 'encoding' or 'readout'.")
        if self.probe == "logistic" and (self.estimator != "plug-in" or self.direction != "readout"):
            raise InputError("probe='logistic' is a readout direction fitted on all samples: use it with "
                             "--estimator plug-in --direction readout (cross-fitting is offered for the difference "
                             "of means and its shrinkage readout).")
        if isinstance(self.bootstrap, bool) or not isinstance(self.bootstrap, int) or self.bootstrap < 0:
            raise InputError(f"bootstrap={self.bootstrap!r} must be a nonnegative integer (0: no CIs).")
        if isinstance(self.folds, bool) or not isinstance(self.folds, int) or self.folds < 5:
            raise InputError(f"folds={self.folds!r} must be an integer >= 5 (the joint tax rate's products need four "
                             f"independent folds, and the jackknife four after one is left out).")
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


def _split_keys(arrays: Mapping[str, Any], source: str) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """Labels and precomputed directions by report key, and the capability and further safety names in file order."""
    labels: dict[str, Any] = {}
    given: dict[str, Any] = {}
    caps: list[str] = []
    extra: list[str] = []
    for k, v in arrays.items():
        if k in ("acts", *_OPTIONAL):
            continue
        if k.startswith(_PREFIX_DIR):
            key, store = k[len(_PREFIX_DIR):], given
            if key and key != "safety" and not key.startswith(_PREFIX_SAFE):
                key = _PREFIX_CAP + key
        elif k == "safety" or k.startswith((_PREFIX_CAP, _PREFIX_SAFE)):
            key, store = k, labels
        else:
            raise InputError(f"{source}: unknown key {k!r}; accepted: acts, safety, capability_NAME, safety_NAME, "
                             f"direction_safety, direction_NAME, direction_safety_NAME, layer_names, token_position. "
                             f"Rename or remove it.")
        if key in ("", _PREFIX_CAP, _PREFIX_SAFE):
            raise InputError(f"{source}: the key {k!r} is a bare prefix; add the name after it.")
        other = labels if store is given else given
        if key in other:
            raise InputError(f"{source}: {key!r} is given both as labels and as a precomputed direction "
                             f"({_PREFIX_DIR}{key.removeprefix(_PREFIX_CAP)!s}); keep one of them.")
        store[key] = v
        if key.startswith(_PREFIX_CAP) and key[len(_PREFIX_CAP):] not in caps:
            caps.append(key[len(_PREFIX_CAP):])
        elif key.startswith(_PREFIX_SAFE) and key[len(_PREFIX_SAFE):] not in extra:
            extra.append(key[len(_PREFIX_SAFE):])
    return labels, given, caps, extra


def _precomputed(key: str, value: Any, layers: int | None, d: int | None) -> np.ndarray:
    """A precomputed direction (layers, d), finite and nonzero in every layer, normalised to unit length (float64)."""
    name = _PREFIX_DIR + key.removeprefix(_PREFIX_CAP)
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        raise InputError(f"{name} has dtype {arr.dtype}; a precomputed direction must be a float array (layers, d).")
    want = f"({'layers' if layers is None else layers}, {'d' if d is None else d})"
    if arr.ndim != 2 or (layers is not None and arr.shape[0] != layers) or (d is not None and arr.shape[1] != d) \
            or 0 in arr.shape:
        raise InputError(f"{name} has shape {arr.shape}; a precomputed direction must be {want}, one vector per layer "
                         f"of acts.")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise InputError(f"{name} must be finite (no NaN or inf).")
    norms = np.linalg.norm(arr, axis=1)
    if not (norms > 0).all():
        raise InputError(f"{name} is zero at layer {int(np.argmin(norms))}; a direction needs a nonzero vector.")
    return arr / norms[:, None]


def validate_arrays(arrays: Mapping[str, Any], source: str = "<arrays>") -> MeasureInput:
    """Check the keys, shapes, dtypes and labels of the ``measure`` input; the first problem is an error naming its key."""
    labels, given, caps, extra = _split_keys(arrays, source)
    if "safety" not in labels and "safety" not in given:
        raise InputError(f"{source}: the key 'safety' is missing; the .npz needs 'acts' (layers, n, d), 'safety' "
                         f"(n,) and one 'capability_NAME' (n,) per capability (or direction_safety and "
                         f"direction_NAME (layers, d) precomputed).")
    if labels and "acts" not in arrays:
        raise InputError(f"{source}: the key 'acts' is missing; label arrays ({', '.join(labels)}) need the "
                         f"activations 'acts' (layers, n, d) they label.")
    if not caps:
        raise InputError(f"{source}: no 'capability_NAME' key; give one label array per capability, e.g. "
                         f"capability_math (n,) (or a precomputed direction_math (layers, d)).")
    acts = None
    L = d = None
    if "acts" in arrays:
        acts = P.check_activations(arrays["acts"], check_finite=not labels)   # labels: scanned by the probe's pass
        L, n, d = acts.shape
    else:
        n = 0
    checked = {k: P.check_labels(k, v, n) for k, v in labels.items()}
    pre: dict[str, np.ndarray] = {}
    for k, v in given.items():
        pre[k] = _precomputed(k, v, L, d)
        L, d = pre[k].shape
    m = len(caps)
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
    return MeasureInput(acts, checked, pre, tuple(caps), tuple(extra), names, tok, source)


# --- computation ---------------------------------------------------------------------------------

def _labelled(inp: MeasureInput) -> tuple[list[str], np.ndarray]:
    """The labelled keys in report order and their labels (k, n)."""
    keys = [k for k in inp.keys if k in inp.labels]
    return keys, (np.stack([inp.labels[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.int8))


def _order(inp: MeasureInput) -> np.ndarray:
    """The permutation from the internal order (labelled directions, then precomputed ones) to the report's."""
    inner = [k for k in inp.keys if k in inp.labels] + [k for k in inp.keys if k in inp.precomputed]
    return np.array([inner.index(k) for k in inp.keys])


def _fixed(inp: MeasureInput) -> np.ndarray | None:
    keys = [k for k in inp.keys if k in inp.precomputed]
    return np.stack([inp.precomputed[k] for k in keys], axis=1) if keys else None      # (L, k', d)


def _directions(inp: MeasureInput, cfg: MeasureConfig, kind: str | None = None) -> np.ndarray:
    """All-sample unit directions (layers, k, d), rows in report order: the probe's on the labels (the shrinkage
    readout of the difference of means for ``kind='readout'``), the precomputed ones as given."""
    kind = kind or cfg.direction
    keys, Y = _labelled(inp)
    rows = []
    if keys:
        labels = dict(zip(keys, Y, strict=False))
        probe = P.diff_means if cfg.probe == "diff-means" else P.logistic
        dirs = probe(inp.acts, labels, layer_names=inp.layer_names,
                     token_position=None if inp.token_position is None else list(inp.token_position))
        D = np.stack([np.stack([dirs[k][layer].vector for k in keys]) for layer in range(inp.shape[0])])
        if kind == DirectionKind.READOUT and cfg.probe == "diff-means":
            for layer in range(D.shape[0]):
                X = inp.acts[layer]
                Z = X - X.mean(axis=0, dtype=np.float64).astype(X.dtype)
                R = P.shrinkage(Z).solve(D[layer])
                D[layer] = R / np.linalg.norm(R, axis=1, keepdims=True)
        rows.append(D)
    fixed = _fixed(inp)
    if fixed is not None:
        rows.append(fixed)
    return np.concatenate(rows, axis=1)[:, _order(inp)]


def _readout(layer: int, Z: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Rows R (r, d) mapped to ``Sigma^{-1} R`` by the layer's Ledoit-Wolf covariance (one factorisation per layer)."""
    return P.shrinkage(Z).solve(R)


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


def _num(x: Any, digits: int = 12) -> float | None:
    """A JSON number (None where the estimate is undefined: NaN)."""
    x = float(x)
    return float(np.round(x, digits)) if np.isfinite(x) else None


def _interval(value: Any, ci: tuple[np.ndarray, np.ndarray] | None, index: tuple, scale: float = 1.0) -> dict:
    return {"value": _num(value * scale),
            "ci": None if ci is None else [_num(ci[0][index] * scale), _num(ci[1][index] * scale)]}


def _stats(series: np.ndarray, scale: float = 1.0) -> dict:
    s = series * scale
    if not np.isfinite(s).any():
        return {"mean": None, "std": None, "min": None, "max": None, "argmin_layer": None, "argmax_layer": None}
    return {"mean": _num(np.nanmean(s)), "std": _num(np.nanstd(s)), "min": _num(np.nanmin(s)),
            "max": _num(np.nanmax(s)), "argmin_layer": int(np.nanargmin(s)), "argmax_layer": int(np.nanargmax(s))}


def measure(inp: MeasureInput, cfg: MeasureConfig = MeasureConfig()) -> dict[str, Any]:
    """The report (a JSON-ready dict, schema ``alignment-tax-measure/2``)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                           # pragma: no cover - comes with scikit-learn
        return _measure(inp, cfg)
    with threadpool_limits(cfg.threads):
        return _measure(inp, cfg)


@dataclass(frozen=True)
class _Estimates:
    """Point estimates and intervals (``(lo, hi)`` arrays per key, None without) of every reported quantity."""

    estimator: str
    intervals: str | None
    point: dict[str, np.ndarray]
    ci: dict[str, tuple[np.ndarray, np.ndarray] | None]
    reliability: np.ndarray | None = None          # (L, k), cross-fit only
    encoding_cos: np.ndarray | None = None         # (L, m), readout only
    n_valid: int = 0


def _check_geometry(inp: MeasureInput, G: np.ndarray) -> None:
    """Independent capabilities, and every safety direction outside the span of those before it (Gram (L, k, k) of
    unit directions in report order): the errors name the keys and the layer."""
    keys = inp.keys
    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    dtype = inp.acts.dtype if inp.acts is not None else np.dtype(np.float64)
    cap_keys, caps = keys[1:1 + m], list(range(1, 1 + m))
    for layer in range(G.shape[0]):
        where = f" (layer {layer}{'' if inp.layer_names is None else ' ' + repr(inp.layer_names[layer])})"
        P.check_independent(cap_keys, G[layer, 1:1 + m, 1:1 + m], dtype, where)
        rows = [0, *range(1 + m, 1 + m + e)]                # each safety direction, against those before it
        for i, row in enumerate(rows):
            sub = np.ix_(caps + rows[:i + 1], caps + rows[:i + 1])
            need = _OUTSIDE_SPAN if i == 0 else _INDEPENDENT_SAFETY
            P.check_independent(cap_keys + [keys[r] for r in rows[:i + 1]], G[layer][sub], dtype, where,
                                requirement=need.format(key=keys[row]))


def _from_crossfit(q: Any, e: int) -> dict[str, np.ndarray]:
    """The report's quantities from ``verify.crossfit.CrossFitted``: the joint tau clipped to [0, 1]; the angle
    ``arccos(sqrt(tau))``; per safety pair, Cor 6.3 and the corrected Cor 6.6 in the plane of the residuals
    ``v~1 = (n1, 0)``, ``v~2 = n2 (cos theta, sin theta)``, ``n_i = sqrt(1 - tau_i)``."""
    tau = np.clip(q.tau, 0.0, 1.0)
    # A cross-fitted cosine is a ratio of unbiased estimates: noise can take it past +-1, where it means +-1.
    out = {"cos": np.clip(q.cos, -1.0, 1.0), "tau_i": q.tau_i, "tau": tau, "angle": np.arccos(np.sqrt(tau)),
           "free": np.sqrt(1 - tau)}
    for j in range(e):
        th, n1 = q.pair_theta[..., j], out["free"]
        n2 = np.sqrt(np.clip(1 - q.pair_tau2[..., j], 0.0, 1.0))
        r1 = np.stack([n1, np.zeros_like(n1)], axis=-1)
        r2 = np.stack([n2 * np.cos(th), n2 * np.sin(th)], axis=-1)
        diff = r1 - r2
        den = np.sum(diff * diff, axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            lam = np.where(den > 0, np.clip(np.sum(r2 * (r2 - r1), axis=-1) / np.where(den > 0, den, 1.0), 0, 1), 1.0)
        u = lam[..., None] * r1 + (1 - lam[..., None]) * r2
        rho = q.pair_rho[..., j]
        out.update({f"theta{j}": th, f"theta0_{j}": np.arccos(np.clip(rho, -1, 1)), f"b{j}": q.pair_b[..., j, :],
                    f"rho{j}": rho, f"s{j}": np.cos(th / 2), f"maxmin{j}": np.linalg.norm(u, axis=-1),
                    f"eq17_{j}": np.cos(th / 2) * np.minimum(n1, n2)})
    return out


def _jackknife_cis(q: Any, qj: Any, e: int, level: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Intervals from the delete-one-fold replicates (axis 1): the signed <v*, c_i> first and tau_i as its square;
    the joint tau on its debiased (unclipped) estimate, clipped to [0, 1], mapped to the angle and the tax-free
    safety (both monotone in tau); theta directly; the unconstrained angle through rho."""
    from verify import crossfit as CF

    cos = tuple(np.clip(x, -1.0, 1.0) for x in CF.jackknife_interval(q.cos, qj.cos, level, axis=1))
    lo, hi = CF.jackknife_interval(q.tau, qj.tau, level, axis=1)
    lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    out = {"cos": cos, "tau_i": CF.signed_to_square(*cos), "tau": (lo, hi),
           "angle": (np.arccos(np.sqrt(hi)), np.arccos(np.sqrt(lo))), "free": (np.sqrt(1 - hi), np.sqrt(1 - lo))}
    for j in range(e):
        tl, th = CF.jackknife_interval(q.pair_theta[..., j], qj.pair_theta[..., j], level, axis=1)
        rl, rh = CF.jackknife_interval(q.pair_rho[..., j], qj.pair_rho[..., j], level, axis=1)
        out[f"theta{j}"] = (np.clip(tl, 0, np.pi), np.clip(th, 0, np.pi))
        out[f"theta0_{j}"] = (np.arccos(np.clip(rh, -1, 1)), np.arccos(np.clip(rl, -1, 1)))
    return out


def _crossfit(inp: MeasureInput, cfg: MeasureConfig) -> _Estimates:
    from verify import crossfit as CF

    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    keys, Y = _labelled(inp)
    folds = CF.make_folds(Y, cfg.folds, cfg.seed)
    readout = cfg.direction == DirectionKind.READOUT
    perm = _order(inp)
    rows = [int(perm[0])] + [int(perm[1 + m + j]) for j in range(e)]          # the safety rows, internal order
    blocks = CF.fold_blocks(inp.acts, Y, folds, cross=cfg.intervals, fixed=_fixed(inp), names=keys, rows=rows,
                            transform=_readout if readout else None)

    def ordered(b: Any) -> Any:
        """The blocks with their direction axes in report order."""
        return CF.FoldBlocks(b.within[..., perm, :][..., :, perm], b.with_sum[..., perm, :][..., :, perm],
                             None if b.cross is None else b.cross[..., perm, :][..., :, perm], None,
                             b.row_cross[..., perm])

    main = ordered(blocks)
    S = main.with_sum.sum(axis=1)                                        # Gram of the all-folds directions
    _check_geometry(inp, P.normalise_gram(0.5 * (S + np.swapaxes(S, -1, -2))))
    q = CF.crossfit_quantities(main.within, main.with_sum, main.row_cross, m, e)
    ci: dict[str, Any] = {}
    if cfg.intervals:
        ci = _jackknife_cis(q, CF.crossfit_quantities(*CF.leave_one_out(main), m, e), e, cfg.level)
    enc = None
    if readout:
        b = ordered(blocks.encoding)
        enc = CF.crossfit_quantities(b.within, b.with_sum, b.row_cross, m, 0).cos
    return _Estimates("cross-fit", f"{cfg.folds}-fold jackknife" if cfg.intervals else None,
                      _from_crossfit(q, e), ci, q.reliability, enc)


def _plug_in(inp: MeasureInput, cfg: MeasureConfig) -> _Estimates:
    m, e = len(inp.capability_names), len(inp.extra_safety_names)
    D = _directions(inp, cfg)
    G = P.gram(D)
    _check_geometry(inp, G)
    G = P.normalise_gram(0.5 * (G + np.swapaxes(G, -1, -2)))
    point = _quantities(G, m, e)
    if not inp.labels:
        return _Estimates("precomputed", None, point, {})
    boot: dict[str, np.ndarray] = {}
    n_valid = 0
    method = None
    if (cfg.intervals and cfg.bootstrap and cfg.probe == "diff-means" and cfg.direction == DirectionKind.ENCODING
            and not inp.precomputed):
        keys, Y = _labelled(inp)
        grams, valid = P.bootstrap_grams(inp.acts, Y, cfg.bootstrap, cfg.seed)
        boot = _replicate_quantities(grams, valid, m, e)
        n_valid = int(next(iter(boot.values())).shape[0]) if boot else 0
        method = "percentile bootstrap"
    enc = None
    if cfg.direction == DirectionKind.READOUT:
        from dataclasses import replace

        Ge = P.normalise_gram(P.gram(_directions(inp, replace(cfg, probe="diff-means"), "encoding")))
        enc = _gram_route(Ge, m, 0)["cos"]
    return _Estimates("plug-in", method, point, {k: _ci(boot.get(k), cfg.level) for k in point}, None, enc, n_valid)


def _effect(cos: float, ci: list | None) -> str | None:
    if not np.isfinite(cos):
        return None
    if ci is not None and (None in ci or ci[0] <= 0 <= ci[1]):      # an undefined interval claims nothing either
        return "uncertain"
    return "degrade" if cos < 0 else "improve"


def _warnings(inp: MeasureInput, est: _Estimates) -> list[str]:
    """What the data cannot support, in words: few samples per class against d, low reliability, no signal,
    a sign that depends on the kind of direction, directions without intervals."""
    L, n, d = inp.shape
    out = []
    few = [(int(min(np.sum(y == P.POSITIVE), np.sum(y == P.NEGATIVE))), k, int(np.sum(y == P.POSITIVE)),
            int(np.sum(y == P.NEGATIVE))) for k, y in inp.labels.items()]
    few = [f"{k} ({p}/{q})" for least, k, p, q in sorted(few) if least < d]
    if len(few) > 4:                         # the fewest first; the count of the rest
        few = few[:3] + [f"{len(few) - 3} more"]
    if few:
        tail = ("the plug-in estimates are shrunk toward 0 here; use --estimator cross-fit"
                if est.estimator == "plug-in" else "the cross-fitted estimates stay unbiased, but their intervals "
                "are wide: read them before the point estimates")
        out.append(f"few samples per class relative to d = {d}: {', '.join(few)} (positive/negative) have fewer "
                   f"samples in a class than dimensions; {tail}.")
    if est.reliability is not None:
        keys = inp.keys
        bad = np.isnan(est.reliability) | (est.reliability <= 0)
        low = (est.reliability < _LOW_RELIABILITY) & ~bad
        for mask, what in ((bad, "no replicable signal (cross-fitted squared norm <= 0: its direction and every "
                                 "quantity with it are undefined, reported as null)"),
                           (low, f"low split-fold reliability (< {_LOW_RELIABILITY}: less than half of the squared "
                                 f"norm of its estimated direction replicates across independent folds)")):
            named = [f"{keys[j]} (layers {_layers(np.flatnonzero(mask[:, j]))})" for j in range(len(keys))
                     if mask[:, j].any() and keys[j] in inp.labels]
            if named:
                out.append(f"{what}: {', '.join(named)}.")
    if est.encoding_cos is not None:
        flips = [(c, np.flatnonzero(np.sign(est.encoding_cos[:, i]) != np.sign(est.point["cos"][:, i])))
                 for i, c in enumerate(inp.capability_names)]
        flips = [f"{c} (layers {_layers(ls)})" for c, ls in flips if ls.size]
        if flips:
            out.append(f"<v*, c_i> has a different sign for the readout and the encoding directions: "
                       f"{', '.join(flips)}; the paper's definitions are readout directions.")
    if inp.precomputed and est.estimator != "precomputed":
        out.append(f"no interval is available for the precomputed directions ({', '.join(inp.precomputed)}): they are "
                   f"taken as exact, so the intervals reflect the sampling of the labelled directions only.")
    elif inp.precomputed:
        out.append(f"no interval is available for precomputed directions ({', '.join(inp.precomputed)}): the "
                   f"quantities are exact functions of the given vectors.")
    return out


def _layers(idx: np.ndarray) -> str:
    idx = [int(i) for i in idx]
    return ", ".join(map(str, idx)) if len(idx) <= 6 else f"{', '.join(map(str, idx[:5]))}, ... ({len(idx)} in all)"


def _measure(inp: MeasureInput, cfg: MeasureConfig) -> dict[str, Any]:
    L, n, d = inp.shape
    m = len(inp.capability_names)
    est = _plug_in(inp, cfg) if not inp.labels or cfg.estimator == Estimator.PLUG_IN else _crossfit(inp, cfg)
    point, ci = est.point, {k: est.ci.get(k) for k in est.point}
    deg = 180.0 / np.pi
    cap_names = list(inp.capability_names)
    keys = inp.keys
    layers = []
    for layer in range(L):
        cos_l = np.where(np.isfinite(point["cos"][layer]), point["cos"][layer], np.inf)
        order = np.argsort(cos_l, kind="stable")
        rank = np.empty(m, dtype=int)
        rank[order] = np.arange(1, m + 1)
        caps = []
        for i, name in enumerate(cap_names):
            key = _PREFIX_CAP + name
            y = inp.labels.get(key)
            cos = _interval(point["cos"][layer, i], ci["cos"], (layer, i))
            enc = None if est.encoding_cos is None else est.encoding_cos[layer, i]
            caps.append({"name": name,
                         "source": "labels" if y is not None else "precomputed",
                         "n_positive": None if y is None else int(np.sum(y == P.POSITIVE)),
                         "n_negative": None if y is None else int(np.sum(y == P.NEGATIVE)),
                         "reliability": None if est.reliability is None else _num(est.reliability[layer, 1 + i]),
                         "cos": cos,
                         "tau": _interval(point["tau_i"][layer, i], ci["tau_i"], (layer, i)),
                         "encoding_cos": None if enc is None else _num(enc),
                         "sign_differs_from_encoding": (None if enc is None or cos["value"] is None
                                                        else bool(np.sign(enc) != np.sign(cos["value"]))),
                         "predicted_change_per_B": cos["value"],
                         "predicted_effect": _effect(point["cos"][layer, i], cos["ci"]),
                         "cost_rank": int(rank[i])})
        pairs = []
        for j, sname in enumerate(inp.extra_safety_names):
            a, b = point["cos"][layer], point[f"b{j}"][layer]
            pairs.append({"name": sname,
                          "rho": _num(point[f"rho{j}"][layer]),
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
                       "safety_reliability": None if est.reliability is None else _num(est.reliability[layer, 0]),
                       "tau": _interval(point["tau"][layer], ci["tau"], (layer,)),
                       "principal_angle_deg": _interval(point["angle"][layer], ci["angle"], (layer,), deg),
                       "tax_free_safety_per_B": _interval(point["free"][layer], ci["free"], (layer,)),
                       "capabilities": caps,
                       "ranked_by_predicted_cost": [cap_names[i] for i in order],
                       "safety_pairs": pairs,
                       "figure": None})
    cross = {"tau": _stats(point["tau"]), "principal_angle_deg": _stats(point["angle"], deg),
             "capabilities": {name: _stats(point["tau_i"][:, i]) for i, name in enumerate(cap_names)}}
    readout = f"readout ({'logistic probe' if cfg.probe == 'logistic' else 'Ledoit-Wolf'})"
    kind = "precomputed" if not inp.labels else readout if cfg.direction == DirectionKind.READOUT else "encoding"
    return {"schema": SCHEMA,
            "input": {"file": Path(inp.source).name, "layers": L, "samples": n, "dimension": d,
                      "dtype": None if inp.acts is None else str(inp.acts.dtype), "capabilities": cap_names,
                      "safety_directions": [k for k in keys if k == "safety" or k.startswith(_PREFIX_SAFE)],
                      "precomputed": [k for k in keys if k in inp.precomputed]},
            "config": {"estimator": est.estimator, "direction": kind, "probe": cfg.probe,
                       "folds": cfg.folds if est.estimator == "cross-fit" else None,
                       "intervals": est.intervals,
                       "bootstrap": cfg.bootstrap if est.intervals == "percentile bootstrap" else 0,
                       "valid_resamples": est.n_valid, "seed": cfg.seed, "level": cfg.level,
                       "sign_convention": SIGN_CONVENTION},
            "warnings": _warnings(inp, est),
            "notes": {"predicted_change": MODEL_NOTE, "cor_6_6": COR66_NOTE, "directions": DIRECTION_NOTE,
                      "estimator": ESTIMATOR_NOTES[est.estimator]},
            "layers": layers, "cross_layer": cross}


# --- output --------------------------------------------------------------------------------------

def write_json(report: Mapping[str, Any], path: Path) -> None:
    """Write the report; a failed write (a full disk) is an InputError naming --json and the path."""
    try:
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"--json {str(path)!r}: writing failed: {exc.strerror}.") from None


def _f(x: float | None, fmt: str) -> str:
    return "nan" if x is None else f"{x:{fmt}}"


def _fmt_ci(x: dict, fmt: str = ".3f") -> str:
    if x["ci"] is None:
        return _f(x["value"], fmt)
    return f"{_f(x['value'], fmt)} [{_f(x['ci'][0], fmt)},{_f(x['ci'][1], fmt)}]"


def _short(text: str | None, width: int) -> str:
    text = "-" if text is None else text
    return text if len(text) <= width else text[:width - 1] + "~"


def _wrap(text: str, width: int = 80, indent: str = "") -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, subsequent_indent=indent)


def format_report(report: Mapping[str, Any], detail_layer: int | None = None) -> str:
    """The report for a terminal, at most 80 columns wide."""
    inp, cfg = report["input"], report["config"]
    size = f"{inp['samples']} samples, " if inp["samples"] else ""
    lines = [f"alignment-tax measure {_short(inp['file'], 28)}: {inp['layers']} layers, {size}"
             f"d = {inp['dimension']}" + (f" ({inp['dtype']})" if inp["dtype"] else ""),
             f"{cfg['direction']} directions, {cfg['estimator']} estimator; "
             + (f"{cfg['level']:.0%} intervals: {cfg['intervals']}" if cfg["intervals"] else "no intervals")
             + (f" ({cfg['valid_resamples']} resamples, seed {cfg['seed']})" if cfg["bootstrap"] else "")]
    for w in report["warnings"]:
        lines += _wrap("warning: " + w, indent="  ")
    lines += ["", "Per layer: joint tax rate tau (Rem 4.6), principal angle, tax-free safety",
              f"{'layer':>5} {'name':<24} {'tau [CI]':<19} {'angle':>6} {'free/B':>6} {'costliest':<14}"]
    for row in report["layers"]:
        degrade = [x for x in row["capabilities"] if x["predicted_effect"] == "degrade"]
        costly = min(degrade, key=lambda x: x["cost_rank"])["name"] if degrade else "-"
        lines.append(f"{row['layer']:>5} {_short(row['layer_name'], 24):<24} {_fmt_ci(row['tau']):<19} "
                     f"{_f(row['principal_angle_deg']['value'], '>5.1f')}d "
                     f"{_f(row['tax_free_safety_per_B']['value'], '>6.3f')} {_short(costly, 14):<14}")
    cross = report["cross_layer"]
    lines += ["", "Across layers (Prediction 3's quantity): tau and per-capability tau_i",
              f"{'capability':<18} {'mean':>7} {'std':>7} {'min (layer)':>13} {'max (layer)':>13}  {'at max':<9}"]

    def stat_row(name: str, st: dict, eff: str) -> str:
        if st["mean"] is None:
            return f"{_short(name, 18):<18} {'nan':>7}"
        return (f"{_short(name, 18):<18} {st['mean']:>7.4f} {st['std']:>7.4f} {st['min']:>7.4f} "
                f"({st['argmin_layer']:>3}) {st['max']:>7.4f} ({st['argmax_layer']:>3})  {eff:<9}")

    lines.append(stat_row("(joint tau)", cross["tau"], ""))
    for name, st in cross["capabilities"].items():
        eff = "-"
        if st["argmax_layer"] is not None:
            top = report["layers"][st["argmax_layer"]]
            eff = next(x for x in top["capabilities"] if x["name"] == name)["predicted_effect"] or "-"
        lines.append(stat_row(name, st, eff))
    if detail_layer is not None:
        row = report["layers"][detail_layer]
        lines += [""] + _wrap(f"Layer {detail_layer} ({row['layer_name'] or '-'}, token {row['token_position']}): "
                              f"capabilities by predicted cost")
        lines.append(f"{'rank':>4} {'capability':<16} {'<v*,c_i> [CI]':<26} {'tau_i [CI]':<20} {'effect':<9}")
        for name in row["ranked_by_predicted_cost"]:
            c = next(x for x in row["capabilities"] if x["name"] == name)
            flag = "*" if c["sign_differs_from_encoding"] else ""
            lines.append(f"{c['cost_rank']:>4} {_short(name, 16):<16} {_fmt_ci(c['cos'], '+.3f'):<26} "
                         f"{_fmt_ci(c['tau'], '.3f'):<20} {(c['predicted_effect'] or '-') + flag:<9}")
        if any(c["sign_differs_from_encoding"] for c in row["capabilities"]):
            lines.append("* the encoding direction (difference of means) gives the other sign")
        for p in row["safety_pairs"]:
            lines += _wrap(f"safety vs safety_{p['name']}: effective angle theta {_fmt_ci(p['theta_deg'], '.1f')} deg "
                           f"given all capabilities ({_f(p['theta_unconstrained_deg']['value'], '.1f')} deg without); "
                           f"opposite-sign capabilities (Thm 6.4): {', '.join(p['opposite_sign_capabilities']) or 'none'}")
    lines += [""] + _wrap("tau_i = <v*, c_i>^2. In the paper's model delta = B v* changes capability i by "
                          "B <v*, c_i>: degradation in proportion to sqrt(tau_i), not tau_i (audit finding "
                          "pred-1.model); capabilities with <v*, c_i> > 0 are predicted to improve, 'uncertain' "
                          "when the interval of <v*, c_i> contains 0.")
    return "\n".join(line.rstrip() for line in lines)


_CSV_COLUMNS = ("layer", "layer_name", "token_position", "direction", "estimator", "capability", "source",
                "cos", "cos_lo", "cos_hi", "tau_i", "tau_i_lo", "tau_i_hi", "predicted_effect", "cost_rank",
                "reliability", "encoding_cos", "tau", "tau_lo", "tau_hi", "principal_angle_deg",
                "tax_free_safety_per_B")


def write_csv(report: Mapping[str, Any], path: Path) -> None:
    """One row per layer and capability (the columns of ``_CSV_COLUMNS``; an empty cell where a value is absent)."""
    def ends(x: dict) -> list:
        return [x["value"], *(x["ci"] or [None, None])]

    cfg = report["config"]
    try:
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(_CSV_COLUMNS)
            for row in report["layers"]:
                for c in row["capabilities"]:
                    w.writerow(["" if x is None else x for x in
                                [row["layer"], row["layer_name"], row["token_position"], cfg["direction"],
                                 cfg["estimator"], c["name"], c["source"], *ends(c["cos"]), *ends(c["tau"]),
                                 c["predicted_effect"], c["cost_rank"], c["reliability"], c["encoding_cos"],
                                 *ends(row["tau"]), row["principal_angle_deg"]["value"],
                                 row["tax_free_safety_per_B"]["value"]]])
    except OSError as exc:
        raise InputError(f"--csv {str(path)!r}: writing failed: {exc.strerror}.") from None


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

        def band(lo: float | None, hi: float | None, color: str) -> None:
            """The frontiers of every cos(alpha) in the interval [lo, hi]: their envelope, shaded."""
            if lo is None or hi is None:
                return
            cs = np.linspace(max(lo, -1.0), min(hi, 1.0), 25)[:, None]
            ys = x * cs + np.sqrt(np.clip(1 - cs * cs, 0, None)) * np.sqrt(1 - x * x)
            ax.fill_between(x, ys.min(axis=0), ys.max(axis=0), color=color, alpha=0.15, lw=0)

        def curve(cos_a: float | None, **kw):
            if cos_a is None:
                return
            sin_a = np.sqrt(max(0.0, 1 - cos_a * cos_a))
            y = x * cos_a + sin_a * np.sqrt(1 - x * x)                     # Thm 4.1 at B = 1
            eff = x >= cos_a
            ax.plot(x, y, ls=(0, (3, 2)), lw=kw.get("lw", 1), color=kw["color"], alpha=kw.get("alpha", 1))
            ax.plot(x[eff], y[eff], lw=kw.get("lw", 1) + 1, color=kw["color"], alpha=kw.get("alpha", 1),
                    label=kw.get("label"))

        ranked = row["ranked_by_predicted_cost"]
        caps = {c["name"]: c for c in row["capabilities"]}
        rest = np.array([caps[name]["cos"]["value"] for name in ranked[top:]
                         if caps[name]["cos"]["value"] is not None], dtype=float)
        if rest.size:                 # the other capabilities as two collections: one artist each, fast to draw
            ys = rest[:, None] * x + np.sqrt(np.clip(1 - rest**2, 0, None))[:, None] * np.sqrt(1 - x * x)
            segs = [np.column_stack([x, y]) for y in ys]
            effs = [s_[x >= c] for s_, c in zip(segs, rest, strict=False)]
            ax.add_collection(LineCollection(segs, colors="0.75", linewidths=0.6, linestyles=(0, (3, 2))))
            ax.add_collection(LineCollection(effs, colors="0.7", linewidths=1.2,
                                             label=f"{rest.size} other capabilities"))
        for name, colour in zip(ranked[:top], ("tab:red", "tab:orange", "tab:olive"), strict=False):
            c = caps[name]
            if c["cos"]["ci"] is not None:
                band(*c["cos"]["ci"], colour)
            curve(c["cos"]["value"], color=colour,
                  label=f"{name}: <v*,c> = {_f(c['cos']['value'], '+.3f')}, tau = {_f(c['tau']['value'], '.3f')}")
        tau = row["tau"]["value"]
        if row["tau"]["ci"] is not None and None not in row["tau"]["ci"]:
            band(*np.sqrt(row["tau"]["ci"]), "tab:blue")
        curve(None if tau is None else np.sqrt(tau), color="tab:blue", lw=2,
              label=f"all capabilities: angle {_f(row['principal_angle_deg']['value'], '.1f')} deg, "
                    f"tau = {_f(tau, '.3f')}")
        free = row["tax_free_safety_per_B"]["value"]
        if free is None:
            free = float("nan")
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
        bands = "; shaded: over the interval" if row["tau"]["ci"] is not None else ""
        ax.set_title(f"Frontier (Thm 4.1) at {where}{tok}\nsolid: Pareto-efficient arc; dashed: rest of the curve"
                     f"{bands}",
                     fontsize=10)
        ax.legend(fontsize=7, loc="lower left")
        path = directory / f"frontier_layer_{row['layer']:02d}.png"
        fig.savefig(path, dpi=100, metadata={"Software": None})
        written.append(path)
    plt.close(fig)
    return written


def run(file: Path, json_path: Path | None, figures: Path | None, cfg: MeasureConfig, detail_layer: int | None,
        out: TextIO, csv_path: Path | None = None) -> dict[str, Any]:
    """The ``measure`` command: check the outputs, load, measure, write.  Bad input raises InputError."""
    if json_path is not None:
        output_file("--json", json_path)
    if csv_path is not None:
        output_file("--csv", csv_path)
    if figures is not None:
        output_directory("--figures", figures)
    inp = load_npz(file)
    L = inp.shape[0]
    if detail_layer is not None and not 0 <= detail_layer < L:
        raise InputError(f"--layer {detail_layer!r} must lie in [0, {L - 1}] (acts has {L} layers).")
    report = measure(inp, cfg)
    if figures is not None:
        paths = write_figures(report, figures)
        for row, p in zip(report["layers"], paths, strict=False):
            row["figure"] = p.name
    print(format_report(report, detail_layer), file=out)
    if json_path is not None:
        write_json(report, json_path)
        print(f"JSON report written to {json_path}", file=out)
    if csv_path is not None:
        write_csv(report, csv_path)
        print(f"CSV table written to {csv_path}", file=out)
    if figures is not None:
        print(f"{len(report['layers'])} frontier figures written to {figures}", file=out)
    return report


def add_parser(sub: Any) -> None:
    """Register ``measure`` on the CLI's subparsers."""
    p = sub.add_parser("measure", help="the paper's quantities per layer on directions probed from activations "
                       "(.npz: acts, safety, capability_NAME, ...)")
    p.add_argument("file", type=Path, metavar="FILE.npz")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report (schema alignment-tax-measure/2)")
    p.add_argument("--csv", type=Path, metavar="OUT", help="write a flat table, one row per layer and capability")
    p.add_argument("--figures", type=Path, metavar="DIR", help="write one frontier figure (PNG) per layer")
    p.add_argument("--estimator", choices=[x.value for x in Estimator], default="cross-fit",
                   help="cross-fit (default: unbiased inner products, fold-jackknife intervals) or plug-in")
    p.add_argument("--direction", choices=[x.value for x in DirectionKind], default="encoding",
                   help="encoding (difference of means, default) or readout (Ledoit-Wolf shrinkage discriminant; "
                        "the paper's definitions are readout directions)")
    p.add_argument("--folds", type=int, default=10, metavar="K",
                   help="folds of the cross-fitted estimator (default 10, at least 5)")
    p.add_argument("--no-intervals", action="store_true", help="point estimates only (faster)")
    p.add_argument("--probe", choices=("diff-means", "logistic"), default="diff-means",
                   help="direction estimator (default diff-means; logistic: --estimator plug-in --direction readout)")
    p.add_argument("--bootstrap", type=int, default=200, metavar="N",
                   help="bootstrap resamples of the plug-in estimator's intervals (default 200; 0: none)")
    p.add_argument("--seed", type=int, default=0, help="seed of the folds and the bootstrap (default 0)")
    p.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--layer", type=int, metavar="N", help="also print layer N's capabilities by predicted cost")
    p.add_argument("--threads", type=int, default=1, metavar="N", help="BLAS threads (default 1)")


def command(args: argparse.Namespace) -> int:
    """Run ``measure``; bad input prints one line ``alignment-tax: error: ...`` and returns 2."""
    from verify.validate import AlignmentTaxError

    import warnings

    try:
        cfg = MeasureConfig(args.probe, args.bootstrap, args.seed, args.level, args.threads, args.estimator,
                            args.direction, args.folds, not args.no_intervals)
        with warnings.catch_warnings():
            # Non-finite activations are reported by the validators in one line; numpy's warnings on the way
            # there would only add lines before it.
            warnings.simplefilter("ignore", RuntimeWarning)
            run(args.file, args.json, args.figures, cfg, args.layer, sys.stdout, args.csv)
    except AlignmentTaxError as exc:
        msg = str(exc)
        for name in ("bootstrap", "seed", "level", "threads", "folds", "estimator", "direction", "probe"):
            msg = msg.replace(f"{name}=", f"--{name} ")
        print(f"alignment-tax: error: {msg}", file=sys.stderr)
        return 2
    return 0
