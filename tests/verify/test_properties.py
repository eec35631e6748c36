"""Property tests: each closed form (derived by SymPy) against its SOCP over random admissible geometries."""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive import frontier as F
from derive import safety_pair as S
from verify import frontier as VF
from verify import high_precision as HP
from verify import safety_pair as VP

_value = sp.lambdify((F.alpha, F.B, F.Delta_C), F.frontier_value(), "mpmath")
_f13 = sp.lambdify((S.theta, S.s2), S.s2 * sp.cos(S.theta) + sp.sin(S.theta) * sp.sqrt(1 - S.s2**2), "mpmath")
_TINY = mpmath.mpf(10) ** -40

angles = st.one_of(st.floats(1e-9, np.pi - 1e-9), st.sampled_from([1e-9, 1e-4, np.pi / 2, np.pi - 1e-4, np.pi - 1e-9]))


@settings(max_examples=60, deadline=None)
@given(alpha=angles, B=st.floats(0.01, 100), frac=st.floats(-0.999, 0.999), d=st.sampled_from([2, 3, 7, 40]))
def test_frontier_closed_form_inside_socp_enclosure(alpha: float, B: float, frac: float, d: int) -> None:
    v, c = VF.plane_geometry(alpha, d)
    point = VF.max_safety_gain(v, c, frac * B, B)
    with mpmath.workdps(50):
        vm, cm = HP.vector(v), HP.vector(c)
        closed = HP.norm(vm) * _value(HP.angle(vm, cm), mpmath.mpf(B), mpmath.mpf(frac * B) / HP.norm(cm))
        assert point.enclosure.contains(closed, _TINY)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(-0.99, 0.99), b=st.floats(-0.99, 0.99), t=st.floats(-0.999999, 0.999999),
       s2=st.floats(-0.99, 0.99))
def test_pair_frontier_and_equal_gain(a: float, b: float, t: float, s2: float) -> None:
    rho = a * b + t * np.sqrt((1 - a * a) * (1 - b * b))
    v1, v2, c = VP.realise(rho, a, b, 4)
    C = c[:, None]
    pt = VP.pair_frontier(v1, v2, C, [s2], 1.0)[0]
    with mpmath.workdps(50):
        r1, r2 = HP.residual(HP.vector(v1), C), HP.residual(HP.vector(v2), C)
        theta = HP.angle(r1, r2)
        target = mpmath.mpf(float(s2 * 1.0 * pt.norms[1])) / HP.norm(r2)
        assert pt.enclosure.contains(HP.norm(r1) * _f13(theta, target), _TINY)
        enc = VP.max_min_gain(v1, v2, C, 1.0).enclosure
        assert enc.contains(mpmath.cos(theta / 2), 1e-12)
