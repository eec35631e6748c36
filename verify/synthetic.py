"""A sampler of synthetic activations with planted safety and capability directions of known tax rates.

The model, per layer l (d dimensions, n samples, labels y_j in {0, 1} for direction j):

    x = mu_l + s * sum_j (y_j - 1/2) u_{j,l} + sigma * eps,     eps ~ N(0, I_d)

with planted unit directions u_0 = v* (safety), u_1..u_m (capabilities) and optionally u_{m+1} (a
second safety direction).  The labels follow a balanced full-factorial design (every combination of
the k labels equally often), so the difference of class means for label j is exactly
``s u_j`` plus noise: the other directions cancel.  A capability has an *intrinsic* overlap with
safety (``<v*, c_i> = gamma_i`` by construction, varied across layers by ``layer_slope``) or an
*incidental* one (c_i drawn uniformly on the sphere, so ``<v*, c_i>`` is of order 1/sqrt(d)).  The
planted inner products are returned, so tests can check that measurement recovers them.  ``mu_l`` is a
large per-layer offset (as real residual streams have), which a measurement must not be fooled by.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from verify.validate import InputError, seed as check_seed

__all__ = ["Planted", "Synthetic", "synthetic_activations", "DEFAULT_CAPABILITIES"]

# name -> intrinsic overlap gamma (<v*, c> at the middle layer), or None for an incidental one.
DEFAULT_CAPABILITIES: dict[str, float | None] = {"persuasion": -0.6, "chemistry": -0.35, "code": 0.3,
                                                 "arithmetic": None, "translation": None}


@dataclass(frozen=True)
class Planted:
    """The planted geometry: unit directions per layer and their inner products with safety."""

    safety: np.ndarray                 # (layers, d)
    capabilities: np.ndarray           # (layers, d, m), columns in the order of ``names``
    names: tuple[str, ...]
    cos: np.ndarray                    # (layers, m): <v*, c_i>, signed
    intrinsic: tuple[bool, ...]
    safety2: np.ndarray | None = None  # (layers, d): a second safety direction, if planted

    @property
    def tau(self) -> np.ndarray:
        """Per-capability tax rates tau_i = <v*, c_i>^2, (layers, m)."""
        return self.cos**2


@dataclass(frozen=True)
class Synthetic:
    """Activations and labels in the ``alignment-tax measure`` format, and the planted truth."""

    acts: np.ndarray                            # (layers, n, d)
    labels: dict[str, np.ndarray]               # "safety", "capability_<name>", ["safety_<name>"]
    layer_names: tuple[str, ...]
    token_position: int
    planted: Planted = field(repr=False)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays of the ``.npz`` input of ``alignment-tax measure``."""
        return {"acts": self.acts, **self.labels, "layer_names": np.array(self.layer_names),
                "token_position": np.array(self.token_position)}

    def save(self, path: str | Path) -> Path:
        """Write the ``.npz`` (uncompressed, so that loading is not a decompression)."""
        path = Path(path)
        np.savez(path, **self.arrays())
        return path


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x)


def _plant_layer(rng: np.random.Generator, d: int, gammas: list[float | None],
                 ramp: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One layer's planted directions: v* and, from an orthonormal basis (v*, e_1, .., e_{m+2}), a capability
    ``c_i = g v* + sqrt(1 - g^2) e_i`` of intrinsic overlap ``g = clip(gamma_i ramp, -0.95, 0.95)``, or a
    uniform unit vector for an incidental one.  Returns v* (d,), the capabilities (d, m) and the basis."""
    m = len(gammas)
    basis, _ = np.linalg.qr(rng.standard_normal((d, min(d, m + 3))))        # orthonormal columns
    v = basis[:, 0]
    C = np.zeros((d, m))
    for i, g in enumerate(gammas):
        if g is None:
            c = _unit(rng.standard_normal(d))                               # incidental overlap
        else:
            gl = float(np.clip(g * ramp, -0.95, 0.95))
            c = gl * v + np.sqrt(1 - gl * gl) * basis[:, 1 + i]              # intrinsic overlap gl
        C[:, i] = c
    return v, C, basis


def _second_safety(v: np.ndarray, c1: np.ndarray, w: np.ndarray, second_safety: tuple[float, float]) -> np.ndarray:
    """v2* = rho v* + x e + y w with <v*, v2*> = rho and <c_1, v2*> = a, where e is the unit part of c_1
    orthogonal to v*, so ``x = (a - rho g_1) / sqrt(1 - g_1^2)`` (g_1 = <c_1, v*>), and w, a spare basis
    direction (orthogonal to v* and to an intrinsic c_1), takes the rest of the unit norm,
    ``y = sqrt(1 - rho^2 - x^2)``; the result is normalised."""
    rho, a = second_safety
    g1 = c1 @ v
    e = _unit(c1 - g1 * v)
    x = (a - rho * g1) / np.sqrt(1 - g1 * g1)
    rest = 1 - rho * rho - x * x
    if rest < 0:
        raise InputError(f"second_safety={second_safety!r} is not realisable with <v*, c_1> = {g1:.3f}.")
    return _unit(rho * v + x * e + np.sqrt(rest) * w)


def _labels(rng: np.random.Generator, k: int, reps: int, design: str, n: int | None) -> np.ndarray:
    """Labels (k, n) in {0, 1}: ``reps`` shuffled copies of the 2^k factorial design, or (``design="random"``)
    ``n`` balanced labels drawn independently per direction."""
    if design == "factorial":
        Y = np.array(list(itertools.product((0, 1), repeat=k)) * reps, dtype=np.int8).T     # (k, n)
        return Y[:, rng.permutation(Y.shape[1])]
    if design == "random":
        if n is None or n < 4:
            raise InputError(f"n={n!r} must be an integer >= 4 for design='random'.")
        return np.stack([rng.permutation(np.arange(n) % 2) for _ in range(k)]).astype(np.int8)
    raise InputError(f"design={design!r} must be 'factorial' or 'random'.")


def _activations(rng: np.random.Generator, Y: np.ndarray, dirs: np.ndarray, offset: float, signal: float,
                 noise: float, dtype: type) -> np.ndarray:
    """``x = mu_l + s sum_j (y_j - 1/2) u_{j,l} + sigma eps`` per layer (dirs (L, d, k), Y (k, n)), with a
    random offset ``mu_l`` of norm ``offset``: (layers, n, d) in ``dtype``."""
    layers, d, _ = dirs.shape
    n_samples = Y.shape[1]
    acts = np.empty((layers, n_samples, d), dtype=dtype)
    for layer in range(layers):
        mu = offset * _unit(rng.standard_normal(d))
        eps = rng.standard_normal((n_samples, d), dtype=np.float32 if dtype == np.float32 else np.float64)
        acts[layer] = (mu + signal * (Y.T - 0.5) @ dirs[layer].T + noise * eps).astype(dtype)
    return acts


def synthetic_activations(d: int = 32, layers: int = 3, reps: int = 20, *, signal: float = 10.0,
                          noise: float = 1.0, capabilities: dict[str, float | None] | None = None,
                          layer_slope: float = 0.5, second_safety: tuple[float, float] | None = (0.3, 0.3),
                          offset: float = 50.0, unlabelled: float = 0.1, seed: int = 0,
                          dtype: type = np.float32, design: str = "factorial", n: int | None = None) -> Synthetic:
    """Draw the model above.  ``reps`` copies of the 2^k factorial design give n = reps 2^k samples
    (``design="random"`` with ``n`` samples draws balanced labels independently instead, for many
    directions, e.g. the benchmark's 65).  ``second_safety=(rho, a)`` plants v2* with ``<v1*, v2*> = rho``
    and ``<c_1, v2*> = a`` of the opposite sign to ``<c_1, v1*>`` when possible (Thm 6.4's case).
    A fraction ``unlabelled`` of the last capability's labels is set to -1 (not labelled).
    """
    seed = check_seed(seed)
    caps = dict(DEFAULT_CAPABILITIES if capabilities is None else capabilities)
    m = len(caps)
    k = 1 + m + (second_safety is not None)
    if d < m + 3:
        raise InputError(f"d={d!r} must be at least m + 3 = {m + 3} (safety, m capabilities and two spare directions).")
    rng = np.random.default_rng(seed)
    names = tuple(caps)
    gammas = [caps[c] for c in names]
    V, Cs, V2 = np.zeros((layers, d)), np.zeros((layers, d, m)), np.zeros((layers, d))
    for layer in range(layers):
        ramp = 1.0 + layer_slope * ((layer / (layers - 1)) - 0.5 if layers > 1 else 0.0)
        V[layer], Cs[layer], basis = _plant_layer(rng, d, gammas, ramp)
        if second_safety is not None:
            V2[layer] = _second_safety(V[layer], Cs[layer, :, 0], basis[:, -1], second_safety)
    label_names = ["safety"] + [f"capability_{c}" for c in names] + (["safety_helpful"] if second_safety else [])
    Y = _labels(rng, k, reps, design, n)
    dirs = np.concatenate([V[:, :, None], Cs] + ([V2[:, :, None]] if second_safety else []), axis=2)  # (L, d, k)
    acts = _activations(rng, Y, dirs, offset, signal, noise, dtype)
    Y = Y.copy()
    if unlabelled > 0 and m:
        hide = rng.random(Y.shape[1]) < unlabelled
        Y[m][hide] = -1                                  # the last capability: partly unlabelled
    labels = {name: Y[j].copy() for j, name in enumerate(label_names)}
    cos = np.einsum("ld,ldm->lm", V, Cs)
    planted = Planted(V, Cs, names, cos, tuple(g is not None for g in gammas), V2 if second_safety else None)
    layer_names = tuple(f"blocks.{2 * i}.hook_resid_post" for i in range(layers))
    return Synthetic(acts, labels, layer_names, -1, planted)


def main(argv: list[str] | None = None) -> None:
    """``python -m verify.synthetic OUT.npz [--d D] [--layers L] [--reps R] [--seed S]``: write a fixture."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    syn = synthetic_activations(a.d, a.layers, a.reps, seed=a.seed)
    syn.save(a.out)
    print(f"wrote {a.out}: acts {syn.acts.shape} {syn.acts.dtype}; planted tau_i per layer:")
    for layer, row in enumerate(syn.planted.tau):
        print(f"  layer {layer}: " + ", ".join(f"{n}={t:.4f}" for n, t in zip(syn.planted.names, row, strict=False)))


if __name__ == "__main__":
    main()
