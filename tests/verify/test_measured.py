"""The researcher API on measured directions: each quantity against an independent route, certificates, batches,
errors."""
from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.linalg

from verify import measured as M
from verify import socp
from verify.validate import InputError, InputTypeError


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=0)


def _geometry(d: int = 12, m: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    C = _unit(rng.standard_normal((d, m)) + 0.4)         # unit, not orthogonal
    v = _unit(rng.standard_normal(d) + C @ np.array([0.8, -0.5, 0.3])[:m])
    return v, C


def test_tax_rate_is_the_gram_form_and_not_the_sum_of_tau_i() -> None:
    v, C = _geometry()
    a = C.T @ v
    gram_form = a @ np.linalg.solve(C.T @ C, a)                    # Rem 4.6
    assert abs(M.tax_rate(v, C) - gram_form) < 1e-13
    assert np.allclose(M.capability_tax_rates(v, C), a**2, rtol=0, atol=1e-15)
    assert abs(M.tax_rate(v, C) - np.sum(a**2)) > 1e-3             # non-orthonormal: not additive
    Q, _ = np.linalg.qr(C)
    assert abs(M.tax_rate(v, Q) - np.sum(M.capability_tax_rates(v, Q))) < 1e-13


@pytest.mark.parametrize("k", [1, 2])
def test_principal_angles_agree_with_scipy(k: int) -> None:
    v, C = _geometry(d=20)
    S = v if k == 1 else np.column_stack([v, _unit(np.arange(20.0))])
    ours = M.principal_angles(S, C, normalise=True)
    ref = np.sort(scipy.linalg.subspace_angles(S if k > 1 else S[:, None], C))
    assert ours.shape == (k,) and np.allclose(ours, ref, atol=1e-12)
    if k == 1:
        assert abs(np.cos(ours[0]) ** 2 - M.tax_rate(v, C)) < 1e-13       # cos^2 of the angle is tau
        cert = M.principal_angles(S, C, normalise=True, certify=True)
        assert cert.within(1e-12).all() and float(cert.upper[0] - cert.lower[0]) < 1e-7


def test_small_principal_angle_is_accurate() -> None:
    # An angle of 1e-9 rad: arccos of a cosine would give 0 or 2e-8; the sine route keeps it.
    v = np.array([1.0, 1e-9, 0.0])
    C = np.array([[1.0], [0.0], [0.0]])
    assert abs(M.principal_angles(v, C, normalise=True)[0] - 1e-9) < 1e-20
    S = np.array([[1.0, 0.0], [0.0, 1.0], [1e-9, 0.0], [0.0, 1e-7]])          # a 2-dim safety subspace
    E = np.eye(4)[:, :3]
    assert np.allclose(M.principal_angles(S, E, normalise=True), [0.0, 1e-7], rtol=1e-9, atol=0)


def test_float32_probe_direction_is_accepted_and_unnormalised_is_named() -> None:
    rng = np.random.default_rng(1)
    v32 = rng.standard_normal(4096).astype(np.float32)
    v32 /= np.linalg.norm(v32)
    c = np.zeros(4096)
    c[0] = 1.0
    assert abs(float(np.linalg.norm(v32.astype(np.float64))) - 1) > 1e-9     # the old 1e-9 would reject it
    assert M.tax_rate(v32, c[:, None]) == pytest.approx(float(v32[0]) ** 2, rel=1e-6)
    with pytest.raises(InputError, match=r"(?s)^v=.* must hold unit vectors \(float32 tolerance 1\.2e-04\); "
                                         r"the vector at index \(0,\) has norm 1\.99.*normalise=True\.$"):
        M.tax_rate(2 * v32, c[:, None])
    assert M.tax_rate(2 * v32, c[:, None], normalise=True) == pytest.approx(float(v32[0]) ** 2, rel=1e-6)
    with pytest.raises(InputError, match=r"(?s)^v=.* must hold unit vectors \(float64 tolerance 1\.0e-09\)"):
        M.tax_rate(v32.astype(np.float64) * (1 + 1e-6), c[:, None])


def test_frontier_is_theorem_4_1_and_certified() -> None:
    v, C = _geometry()
    c = C[:, 0]
    alpha = np.arccos(v @ c)
    dcs = np.linspace(-0.9, 0.9, 7) * 2.0
    closed = dcs * np.cos(alpha) + np.sin(alpha) * np.sqrt(4.0 - dcs**2)
    got = M.frontier(v, c, dcs, 2.0, certify=True)
    assert np.allclose(got.value, closed, atol=1e-13)
    assert got.within(1e-12).all() and np.all(got.upper - got.lower < 1e-7)
    wrong = M.Certified(got.value + 1e-6, got.lower, got.upper)            # a wrong value is excluded
    assert not wrong.within(1e-12).any()


def test_efficient_arc_runs_from_the_safety_maximum_to_full_capability() -> None:
    rng = np.random.default_rng(0)
    for _ in range(5):     # the end point |Delta_C| = B is feasible, whatever the rounding of ||c||
        v, c = _unit(rng.standard_normal(50)), _unit(rng.standard_normal(50))
        assert M.efficient_frontier(v, c, 1.0, num=3)[1][-1] == pytest.approx(float(v @ c), abs=1e-7)
    v, C = _geometry()
    dc, ds = M.efficient_frontier(v, C[:, 1], 1.5, num=11)
    assert dc[0] == pytest.approx(1.5 * (v @ C[:, 1])) and dc[-1] == 1.5
    assert ds[0] == pytest.approx(1.5) and np.all(np.diff(ds) < 0)        # efficient: one gain falls as the other rises


def test_max_safety_at_per_capability_target_and_its_maximiser() -> None:
    v, C = _geometry()
    targets = np.array([[0.1, -0.2, 0.05], [0.0, 0.0, 0.0], [-0.3, 0.1, 0.2]])
    got = M.max_safety_at_target(v, C, targets, 1.0, certify=True)
    delta = M.maximiser(v, C, targets, 1.0)
    assert got.value.shape == (3,) and delta.shape == (3, 12)
    assert np.allclose(delta @ C, targets, atol=1e-14)                    # the constraint holds
    assert np.allclose(np.linalg.norm(delta, axis=1), 1.0) and np.allclose(delta @ v, got.value)
    assert got.within(1e-12).all()
    assert got.value[1] == pytest.approx(float(M.tax_free_safety(v, C, 1.0)))
    assert float(M.tax_free_safety(v, C, 3.0)) == pytest.approx(3 * np.sqrt(1 - M.tax_rate(v, C)))


def test_certified_tax_rates_enclose_the_projection() -> None:
    v, C = _geometry()
    t = M.tax_rate(v, C, certify=True)
    ti = M.capability_tax_rates(v, C, certify=True)
    assert t.within(1e-12) and ti.within(1e-12).all()
    assert float(t.upper - t.lower) < 1e-7


def test_span_certificate_matches_the_d_dimensional_one() -> None:
    v, C = _geometry(d=6, m=2)
    W, A, b = v[None, None], C.T[None], np.array([[0.2, -0.1]])
    sol = socp.solve(W, A, b, np.array([1.0]))[0]
    full = socp.certify(sol, W[0], A[0], b[0], 1.0)
    span = socp.certify_in_span(sol, W[0], A[0], b[0], 1.0)
    assert span.lower <= full.upper and full.lower <= span.upper
    assert float(span.width) < 1e-7
    with pytest.raises(InputError, match="the equality constraints cannot be met within the budget B"):
        socp.certify_in_span(sol, W[0], A[0], np.array([3.0, 0.0]), 1.0)


def test_effective_angle_is_eq_12_and_the_partial_correlation() -> None:
    rng = np.random.default_rng(3)
    v1, v2, c = (_unit(rng.standard_normal(7)) for _ in range(3))
    rho, a, b = v1 @ v2, c @ v1, c @ v2
    eq12 = (rho - a * b) / np.sqrt((1 - a * a) * (1 - b * b))
    ea = M.effective_angle(v1, v2, c[:, None], certify=True)
    assert abs(ea.cos_theta - eq12) < 1e-14 and abs(np.cos(ea.theta) - eq12) < 1e-14
    assert abs(M.partial_correlation(v1, v2, c[:, None]) - eq12) < 1e-13
    assert M.partial_correlation(v1, v2, c[:, None], certify=True).within(1e-9)
    assert ea.certified.within(1e-9) and float(ea.a[0]) == pytest.approx(a)


def test_equal_gain_and_corrected_cor_6_6_are_certified() -> None:
    rng = np.random.default_rng(4)
    v1, v2 = _unit(rng.standard_normal(9)), _unit(rng.standard_normal(9))
    C = _unit(rng.standard_normal((9, 2)))
    eg = M.max_equal_gain(v1, v2, C, 2.0, certify=True)
    assert eg.certified.within(1e-9) and np.allclose(C.T @ eg.delta, 0, atol=1e-14)
    mm = M.max_min_gain(v1, v2, C, 2.0, certify=True)
    assert mm.certified.within(1e-9)
    assert mm.value >= mm.paper_bound - 1e-15                      # eq. (17)'s side is a lower bound
    assert min(v1 @ mm.delta, v2 @ mm.delta) == pytest.approx(float(mm.value))


def test_batches_broadcast_over_layers() -> None:
    rng = np.random.default_rng(5)
    V = _unit(rng.standard_normal((4, 10)).T).T                      # 4 layers
    Cs = rng.standard_normal((4, 10, 3))
    taus = M.tax_rate(V, Cs, normalise=True)
    assert taus.shape == (4,)
    for layer in range(4):
        assert taus[layer] == pytest.approx(float(M.tax_rate(V[layer], Cs[layer], normalise=True)), abs=1e-14)
    assert M.frontier(V, Cs[:, :, 0], np.array([0.0, 0.5]), 1.0, normalise=True).shape == (4, 2)


def test_gram_coordinates_keep_every_quantity() -> None:
    v, C = _geometry(d=30)
    X = np.column_stack([v, C])
    R = M.gram_coordinates(X.T @ X)
    assert R.shape == (4, 4)
    assert M.tax_rate(R[:, 0], R[:, 1:], normalise=True) == pytest.approx(float(M.tax_rate(v, C)), abs=1e-14)


def test_bad_input_names_the_argument() -> None:
    v, C = _geometry()
    with pytest.raises(InputError, match=re.escape("C has linearly dependent columns")):
        M.tax_rate(v, np.column_stack([C, C[:, :1]]))
    with pytest.raises(InputError, match=re.escape("C has m=13 columns in dimension d=12: more capability directions")):
        M.tax_rate(v, np.eye(12, 13) + np.eye(12, 13, 1), normalise=True)
    with pytest.raises(InputError, match=r"^Delta_C=array\(\[0\.5, 0\. , 0\. \]\) asks for capability changes "
                                         r"that need \|\|delta_C\*\|\| = .* > B=0\.1"):
        M.max_safety_at_target(v, C, np.array([0.5, 0.0, 0.0]), 0.1)
    with pytest.raises(InputTypeError, match=re.escape("v has dtype float16; it must be float32 or float64")):
        M.tax_rate(v.astype(np.float16), C)
    with pytest.raises(InputError, match=re.escape("v must be finite (no NaN or inf); entry (2,) is nan.")):
        M.tax_rate(np.where(np.arange(12) == 2, np.nan, v), C)
    with pytest.raises(InputError, match=re.escape("C must be a (..., d, m) array whose columns")):
        M.tax_rate(v, C[:, 0])
    with pytest.raises(InputError, match=re.escape("v1 lies in the capability subspace")):
        M.effective_angle(C[:, 0], v, C)


def test_partial_correlation_broadcasts_a_batch_of_capability_subspaces() -> None:
    # One capability subspace per layer, as every other function of the module takes: the Gram matrix of
    # [v1, v2, C] is formed per batch entry (it was broadcast to batch x batch and failed).
    rng = np.random.default_rng(3)
    v1, v2, C = rng.standard_normal((4, 7)), rng.standard_normal((4, 7)), rng.standard_normal((4, 7, 2))
    got = M.partial_correlation(v1, v2, C, normalise=True)
    each = [M.partial_correlation(v1[i], v2[i], C[i], normalise=True) for i in range(4)]
    assert got.shape == (4,) and np.allclose(got, each, rtol=0, atol=1e-14)
    assert np.allclose(got, M.effective_angle(v1, v2, C, normalise=True).cos_theta, rtol=0, atol=1e-12)
    assert M.partial_correlation(v1[0], v2[0], C, normalise=True).shape == (4,)


def test_frontier_and_efficient_frontier_take_float32_unit_vectors() -> None:
    rng = np.random.default_rng(11)
    v = rng.standard_normal(4096).astype(np.float32)
    c = (rng.standard_normal(4096) - 0.5 * v).astype(np.float32)
    v /= np.linalg.norm(v)
    c /= np.linalg.norm(c)
    assert abs(float(np.linalg.norm(c.astype(np.float64))) - 1) > 1e-9      # unit only to float32 rounding
    dcs = np.linspace(-0.9, 0.9, 7)
    got = M.frontier(v, c, dcs, 1.0)
    cos = float(v.astype(np.float64) @ c.astype(np.float64))
    want = dcs * cos + np.sqrt(1 - cos**2) * np.sqrt(1 - dcs**2)
    assert np.allclose(got, want, atol=1e-6)
    x, y = M.efficient_frontier(v, c, 1.0, num=5)
    assert x[0] == pytest.approx(cos, abs=1e-6) and np.allclose(y, x * cos + np.sqrt(1 - cos**2) * np.sqrt(1 - x**2),
                                                                atol=1e-6)
