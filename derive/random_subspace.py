"""Exact laws for random capability directions: Prop 5.5, Cor 5.6, Rem 5.8, Section 7.2, the abstract's rate.

For a uniformly random m-dimensional subspace U of R^d and a fixed unit v, ||P_U v||^2 has the law of
||P_{E_m} u||^2 for u uniform on the sphere (rotation invariance), i.e. (g_1^2 + ... + g_m^2)/(g_1^2 + ... + g_d^2)
for a standard Gaussian g: Beta(m/2, (d - m)/2).  m' independent uniform directions span such a U almost
surely.  With intrinsic directions C_I present, the random ones project onto a uniformly random
m'-dimensional subspace of C_I^perp (dimension d - |I|), so
    E tau = tau_I + (1 - tau_I) m' / (d - |I|),   tau_I = ||P_{C_I} v*||^2.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

import sympy as sp

from derive.core import Derivation, Op, Order, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["beta_mean", "beta_variance", "expected_tax", "subspace_law", "intrinsic_expectation",
           "lora_overlap", "self_consistency", "angle_mean_shift", "angle_decay_order"]

d = sp.Symbol("d", positive=True)
m = sp.Symbol("m", positive=True)
tau_I = sp.Symbol("tau_I", nonnegative=True)
k = sp.Symbol("k", nonnegative=True)          # |I|
beta = sp.Symbol("beta", positive=True)
pa, pb = sp.symbols("a b", positive=True)


def beta_mean(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return a / (a + b)


def beta_variance(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    return a * b / ((a + b) ** 2 * (a + b + 1))


def expected_tax(m_prime: sp.Expr, dim: sp.Expr, tau_i: sp.Expr = 0, n_intrinsic: sp.Expr = 0) -> sp.Expr:
    """E tau with |I| = n_intrinsic intrinsic directions (tau_I = tau_i) and m' random ones."""
    return tau_i + (1 - tau_i) * m_prime / (dim - n_intrinsic)


@functools.cache
def subspace_law() -> Derivation:
    """Mean m/d and variance 2m(d-m)/(d^2(d+2)) of ||P_U v||^2 ~ Beta(m/2, (d-m)/2)."""
    A, Bq = m / 2, (d - m) / 2
    steps = (
        Step("beta-first-moment", (sp.beta(pa + 1, pb) / sp.beta(pa, pb)).rewrite(sp.gamma), pa / (pa + pb),
             "E X = B(a+1, b)/B(a, b) = a/(a+b) for X ~ Beta(a, b)", start=NEW),
        Step("beta-second-moment", (sp.beta(pa + 2, pb) / sp.beta(pa, pb)).rewrite(sp.gamma),
             pa * (pa + 1) / ((pa + pb) * (pa + pb + 1)), "E X^2 = a(a+1)/((a+b)(a+b+1))", start=NEW),
        Step("variance", pa * (pa + 1) / ((pa + pb) * (pa + pb + 1)) - (pa / (pa + pb)) ** 2,
             beta_variance(pa, pb), "Var X = E X^2 - (E X)^2", start=NEW),
        Step("mean-m-over-d", sp.Subs(beta_mean(pa, pb), (pa, pb), (A, Bq)), m / d,
             "a = m/2, b = (d-m)/2: E ||P_U v||^2 = m/d exactly", start=NEW),
    )
    result = Step("variance-law", sp.Subs(beta_variance(pa, pb), (pa, pb), (A, Bq)), 2 * m * (d - m) / (d**2 * (d + 2)),
                  "Var ||P_U v||^2 = 2m(d-m)/(d^2(d+2)): the standard deviation is about sqrt(2m)/d", start=NEW)
    return Derivation("prop-5.5", "Exact law of ||P_C v*||^2 for m' random directions", (
        "C spanned by m' = m independent uniform unit vectors (a uniformly random m-dim subspace a.s.)",
        "v* a fixed unit vector; 0 < m < d"), steps, result, domain=(sp.Lt(m, d),))


@functools.cache
def intrinsic_expectation() -> Derivation:
    """E tau = tau_I + (1 - tau_I) m'/(d - |I|): eq. (11)'s m'/d is exact only without intrinsic directions."""
    steps = (
        Step("decompose", expected_tax(m, d, tau_I, k), tau_I + (1 - tau_I) * beta_mean(m / 2, (d - k - m) / 2),
             "tau = tau_I + ||P_W P_{C_I^perp} v*||^2 with W uniform of dimension m' in C_I^perp (dim d - |I|),"
             " and ||P_{C_I^perp} v*||^2 = 1 - tau_I", start=NEW),
        Step("gap-to-printed", expected_tax(m, d, tau_I, k) - (tau_I + m / d), m * (k - tau_I * d) / (d * (d - k)),
             "E tau - (tau_0 + m'/d) = m'(|I| - tau_0 d)/(d (d - |I|)), zero iff |I| = tau_0 d (e.g. no intrinsic"
             " directions); to leading order it is -tau_0 m'/d", start=NEW),
        Step("leading-order", sp.Limit(d * (expected_tax(m, d, tau_I, k) - tau_I), d, sp.oo), (1 - tau_I) * m,
             "d (E tau - tau_0) -> (1 - tau_0) m': the packing term is (1 - tau_0) m'/d, not m'/d", start=NEW),
    )
    result = Step("no-intrinsic", sp.Subs(expected_tax(m, d, tau_I, k), (tau_I, k), (0, 0)), m / d,
                  "with I empty: E tau = m'/d exactly, as printed", start=NEW)
    return Derivation("prop-5.5.expectation", "Exact expectation of tau with intrinsic directions", (
        "|I| intrinsic directions with tau_I = ||P_{C_I} v*||^2 (= sum gamma_i^2 when they are orthonormal)",
        "m' independent uniform directions, m' < d - |I|"), steps, result, domain=(sp.Lt(m + k, d),))


@functools.cache
def lora_overlap() -> Derivation:
    """Section 7.2: E <c_j, P_U c_j> = r/d; r = 8, d = 4096 gives 0.195%."""
    r = sp.Symbol("r", positive=True)
    steps = (
        Step("mean", sp.Subs(beta_mean(pa, pb), (pa, pb), (r / 2, (d - r) / 2)), r / d,
             "<c, P_U c> = ||P_U c||^2 ~ Beta(r/2, (d-r)/2)", start=NEW),
        Step("value", sp.Subs(r / d, (r, d), (8, 4096)), sp.Rational(1, 512), "r = 8, d = 4096: 8/4096 = 1/512",
             start=NEW),
    )
    result = Step("about-0.2-percent", (sp.Rational(1, 512) - sp.Rational(2, 1000)) ** 2, sp.Rational(1, 10000) ** 2,
                  "1/512 = 0.1953% is 0.2% to within 0.01 percentage points", Op.LT, start=NEW)
    return Derivation("sec-7.2", "Section 7.2: expected overlap with a random rank-r subspace", (
        "U a uniformly random r-dimensional subspace (or c_j uniform), 0 < r < d",), steps, result,
        domain=(sp.Lt(r, d),))


@functools.cache
def self_consistency() -> Derivation:
    """Rem 5.8: d^beta sqrt(log d / d) -> 0 iff beta < 1/2."""
    dd = sp.Symbol("d", positive=True)
    gap = sp.Symbol("gamma", positive=True)           # 1/2 - beta > 0: every beta < 1/2 at once
    steps = (
        Step("exponents", dd**beta * sp.sqrt(sp.log(dd) / dd), dd ** (beta - sp.Rational(1, 2)) * sp.sqrt(sp.log(dd)),
             "d^beta sqrt(log d / d) = d^(beta - 1/2) sqrt(log d) (d > 1, so log d > 0)", start=NEW),
        Step("at-half", sp.Limit(1 / sp.sqrt(sp.log(dd)), dd, sp.oo), 0,
             "beta = 1/2: 1/sqrt(log d) -> 0, i.e. sqrt(log d) diverges, so the condition fails at beta = 1/2 itself",
             start=NEW),
        Step("random-expectation", sp.Subs(beta_mean(pa, pb), (pa, pb), (m / 2, (d - m) / 2)), m / d,
             "the 'direct analysis' needs no Marchenko-Pastur law: E ||P_C v*||^2 = m'/d exactly, -> 0 iff m' = o(d)",
             start=NEW),
    )
    result = Step("below-half", sp.Limit(dd ** (-gap) * sp.sqrt(sp.log(dd)), dd, sp.oo), 0,
                  "every beta < 1/2 (beta = 1/2 - gamma, gamma > 0): d^(-gamma) sqrt(log d) -> 0, a negative power"
                  " beats sqrt(log d)", start=NEW)
    return Derivation("rem-5.8", "Remark 5.8: self-consistency of near-orthogonality", (
        "m = d^beta, mu of order sqrt(log d / d)", "d > 1"), steps, result, domain=(sp.Gt(dd, 1),))


@functools.cache
def angle_mean_shift() -> Derivation:
    """Prop 6.7: with m' random capabilities the O(m'/d) mean shifts of eq. (15) cancel to first order."""
    rho = sp.Symbol("rho", real=True)
    q = sp.Symbol("q", positive=True)             # 1 - m'/d > 0
    steps = (
        Step("expected-terms", sp.Subs(beta_mean(pa, pb), (pa, pb), (m / 2, (d - m) / 2)), m / d,
             "E tau_i = m'/d and E <P_C v1*, P_C v2*> = rho m'/d (rotation invariance: E P_C = (m'/d) I)", start=NEW),
        Step("cancel", (rho - rho * (1 - q)) / sp.sqrt(q * q), rho,
             "with the expectations plugged into eq. (15) the shift cancels: cos theta stays rho to first order,"
             " so theta(d) - theta_0 comes from fluctuations of order sqrt(m')/d <= m'/d", start=NEW),
    )
    result = Step("identical-objectives", sp.Subs((rho - rho * (1 - q)) / sp.sqrt(q * q), rho, 1), 1,
                  "v1* = v2* (theta_0 = 0): the projections stay parallel, theta(d) = 0 exactly", start=NEW)
    return Derivation("prop-6.7", "Proposition 6.7: the capability-mediated angle under random capabilities", (
        "I empty; m' random capabilities; q = 1 - m'/d > 0",), steps, result)


# ---------------------------------------------------------------------------------------------
# Closed forms for the formal statements of the random_subspace family.  Each is computed here from the definition it
# names (the exact laws above), never typed from the paper's printed formula.

# Memoised: statements and closed forms ask for the same orders (d^b/(d - 1), d^b/d^2, ...) more than once.
@functools.lru_cache(maxsize=256)
def decay_exponent(expr: sp.Expr, dim: sp.Symbol, domain: tuple[tuple[sp.Symbol, sp.Interval], ...] = ()
                   ) -> sp.Expr:
    """kappa(g) = lim_{d -> oo} -log g(d) / log d: the polynomial order at which g(d) > 0 vanishes.

    g = O(d^-a (log d)^c) implies kappa(g) >= a: a rate claim's necessary condition, blind to log factors.
    SymPy's limit is confirmed at probe values of the other parameters (``domain``: intervals for some of them;
    the others by their sign assumptions), since with a symbolic exponent it may answer one branch only:
    lim -log(d + d^b)/log d is -1 to SymPy for every b >= 0, though it is -b for b > 1."""
    kappa = sp.limit(-sp.log(expr) / sp.log(dim), dim, sp.oo)
    confirm_decay(expr, dim, kappa, dict(domain))
    return kappa


_PROBE_DIMS = (sp.Integer(10) ** 100, sp.Integer(10) ** 200)
_PROBE_TOL = 0.05       # the slope's error is below 0.01 for log factors up to (log d)^2; branches differ by more
_PROBE_DPS = (50, 450)  # 450 digits where 50 cannot tell: 1/d - 1/(d + 1) at d = 1e200 cancels 400 digits
_FAR_DIM = sp.Integer(10) ** 400    # an infinite order's slope must still grow from 1e100..1e200 to 1e200..1e400


def _probes(x: sp.Symbol, domain: dict[sp.Symbol, sp.Interval]) -> tuple[sp.Rational, ...]:
    """Values of a parameter: points of its interval in ``domain`` (eighths, and 63/64 of the way to the upper end),
    else points its sign assumptions allow.  A sample: a branch change between two probes goes unseen."""
    if x in domain:
        iv = domain[x]
        lo, hi = iv.inf, iv.sup
        if lo.is_finite and hi.is_finite:
            inner = tuple(lo + (hi - lo) * sp.Rational(k, 8) for k in range(1, 8))
            inner += (lo + (hi - lo) * sp.Rational(63, 64),)
        elif lo.is_finite:
            inner = tuple(lo + sp.Rational(k) for k in (sp.Rational(1, 3), 1, 3))
        else:
            inner = tuple(hi - sp.Rational(k) for k in (sp.Rational(1, 3), 1, 3))
        ends = tuple(e for e in (lo, hi) if e.is_finite and e in iv)
        return ends + inner
    if x.is_positive:
        return (sp.Rational(1, 3), sp.Integer(1), sp.Integer(3))
    if x.is_nonnegative:
        return (sp.Integer(0), sp.Rational(1, 3), sp.Integer(1), sp.Integer(3))
    if x.is_negative:
        return (-sp.Integer(3), -sp.Integer(1), -sp.Rational(1, 3))
    return (-sp.Integer(2), -sp.Rational(1, 3), sp.Rational(1, 3), sp.Integer(1), sp.Integer(3))


def confirm_decay(expr: sp.Expr, dim: sp.Symbol, kappa: sp.Expr, domain: dict[sp.Symbol, sp.Interval]) -> None:
    """Raise ArithmeticError unless ``kappa`` matches the slope of -log g against log d between d = 10^100 and
    10^200 at every probe point of the parameters where g > 0 there (50 digits, or 450 where 50 do not agree: a
    difference of nearby terms cancels); an infinite ``kappa`` needs a slope beyond 1/_PROBE_TOL of its sign that is
    steeper again over d = 10^200..10^400 (d^-30 has slope 30 on both)."""
    import itertools

    import mpmath
    params = sorted(expr.free_symbols - {dim}, key=str)
    f = sp.lambdify([dim, *params], expr, modules="mpmath")
    k = sp.lambdify(params, kappa, modules="mpmath")

    def slope(point: tuple[sp.Rational, ...], lo: sp.Integer, hi: sp.Integer) -> mpmath.mpf | None:
        """-(log g(hi) - log g(lo)) / (log hi - log lo) at ``point`` (working precision); None where g is not
        positive (a vanishing leading coefficient, a sign: no order) or undefined."""
        try:
            g = [f(mpmath.mpf(dd), *(mpmath.mpf(v) for v in point)) for dd in (lo, hi)]
            if not all(isinstance(v, mpmath.mpf) and v > 0 for v in g):
                return None
            return -(mpmath.log(g[1]) - mpmath.log(g[0])) / (mpmath.log(mpmath.mpf(hi)) - mpmath.log(mpmath.mpf(lo)))
        except (ValueError, ZeroDivisionError, TypeError):
            return None

    def slope_at(point: tuple[sp.Rational, ...]) -> tuple[mpmath.mpf, mpmath.mpf] | None:
        """(slope over the probe window, kappa) at ``point``; None where g has no order there."""
        near = slope(point, *_PROBE_DIMS)
        if near is None:
            return None
        # Where g has an order, kappa must be a real number there: one that is complex or undefined contradicts
        # it (NaN agrees with nothing), it does not skip the point.
        try:
            want = k(*(mpmath.mpf(v) for v in point))
            if isinstance(want, mpmath.mpc):
                want = want.real if want.imag == 0 else mpmath.nan
            return near, mpmath.mpf(want)
        except (ValueError, ZeroDivisionError, TypeError):
            return near, mpmath.nan

    def steeper(point: tuple[sp.Rational, ...], near: mpmath.mpf) -> bool:
        """The slope over d = 1e200..1e400 is half as steep again: an order that grows, not a large finite one."""
        far = slope(point, _PROBE_DIMS[1], _FAR_DIM)
        return far is not None and abs(far) > 1.5 * abs(near) and far * near > 0

    def agrees(point: tuple[sp.Rational, ...], near: mpmath.mpf, want: mpmath.mpf) -> bool:
        if mpmath.isinf(want):
            return near * mpmath.sign(want) > 1 / _PROBE_TOL and steeper(point, near)
        return abs(near - want) <= _PROBE_TOL

    checked = 0
    for point in itertools.product(*(_probes(x, domain) for x in params)):
        for dps in _PROBE_DPS:
            with mpmath.workdps(dps):
                got = slope_at(point)
                if got is not None and agrees(point, *got):
                    break
        else:
            if got is None:
                continue
            raise ArithmeticError(f"decay exponent {kappa} of {expr} is contradicted at "
                                  f"{dict(zip(params, point, strict=False))}: the slope over d = 1e100..1e200 is "
                                  f"{mpmath.nstr(got[0], 6)}")
        checked += 1
    if not checked:
        raise ArithmeticError(f"decay exponent {kappa} of {expr}: no probe point where it is positive")


def mean_offset(gamma: sp.Expr, beta: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """tau_0 + m'/d - E tau for one intrinsic capability with <v*, c_1> = gamma exactly (tau_0 = gamma^2) and
    m' = d^beta uniform incidental ones: d^beta (gamma^2 d - 1) / (d (d - 1)), positive for d > 1/gamma^2 (the
    sign chosen so that its decay exponent is that of |E tau - tau_0 - m'/d|)."""
    tau_0, mp = gamma**2, dim**beta
    return sp.factor(tau_0 + mp / dim - expected_tax(mp, dim, tau_0, 1))


def residual_with_intrinsic_residual(gamma: sp.Expr, eta: sp.Expr, beta: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """E[tau] - tau_0 when one intrinsic capability has <v*, c_1> = gamma + eta d^(-1/2) (Defs 5.1-5.2: the
    overlap tends to gamma; its packing residual eps_1 = eta d^(-1/2) is of the coherence's order) and
    m' = d^beta incidental capabilities are uniform (expectation over them, by ``expected_tax``)."""
    overlap = gamma + eta / sp.sqrt(dim)
    return expected_tax(dim**beta, dim, overlap**2, 1) - gamma**2


def residual_decay_exponent(gamma: sp.Expr, eta: sp.Expr, beta: sp.Expr) -> sp.Expr:
    """kappa of ``residual_with_intrinsic_residual`` for 0 < gamma < 1, eta > 0, 0 <= beta < 1: min(1/2, 1 - beta).

    R(d) = A(d) + B(d) d^beta/(d - 1) with A = 2 gamma eta d^(-1/2) + eta^2/d and B -> 1 - gamma^2.  Each part's
    leading coefficient is positive (limits below, by SymPy), so the two cannot cancel and the slower one wins:
    kappa = min(kappa(A), kappa(d^beta/(d-1))) = min(1/2, 1 - beta)."""
    dd = sp.Symbol("d", positive=True)
    g, e = sp.Symbol("g", positive=True), sp.Symbol("e", positive=True)
    overlap = g + e / sp.sqrt(dd)
    A = sp.expand(overlap**2 - g**2)
    B = 1 - overlap**2
    lead_A = sp.limit(A * sp.sqrt(dd), dd, sp.oo)                       # 2 g e > 0
    lead_B = sp.limit(B, dd, sp.oo)                                       # 1 - g^2 > 0 for g < 1
    b = sp.Symbol("b", nonnegative=True)
    order_inc = decay_exponent(dd**b / (dd - 1), dd)                      # 1 - b
    if not (lead_A == 2 * g * e and lead_B == 1 - g**2):
        raise ArithmeticError(f"unexpected leading terms {lead_A}, {lead_B}")
    return sp.Min(decay_exponent(A / lead_A, dd), order_inc.subs(b, beta))


def angle_rms(rho: sp.Expr, m_prime: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """First-order RMS of theta(d) - theta_0 (``angle_mean_square``'s square root)."""
    return sp.sqrt(angle_mean_square(rho, m_prime, dim))


def angle_mean_square(rho: sp.Expr, m_prime: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """First-order mean square of theta(d) - theta_0 for unit v1*, v2* with <v1*, v2*> = rho, |rho| < 1, I empty and
    m' uniform capabilities (Prop 6.7's model): theta(d) is the angle of P_{C^perp} v1*, P_{C^perp} v2*.

    With Q = P_C (a uniform rank-m' projection) and A_ij = v_i^T Q v_j, cos theta = (rho - A_12)/sqrt((1 - A_11)
    (1 - A_22)).  Q's second moments follow from invariance, Q^2 = Q and tr Q = m':
    E[Q_ij Q_kl] = a d_ij d_kl + b (d_ik d_jl + d_il d_jk), b = m'(d - m')/(d(d-1)(d+2)), a = m'/d - (d+1) b.
    The delta method at E A = (m'/d) G turns delta cos theta into tr(Q M)/(1 - m'/d), M as below, and
    Var tr(Q M) = a (tr M)^2 + 2 b tr(M^2) - (m'/d tr M)^2; delta theta = -delta cos theta / sin theta_0."""
    m, d_ = m_prime, dim
    bq = m * (d_ - m) / (d_ * (d_ - 1) * (d_ + 2))
    aq = m / d_ - (d_ + 1) * bq
    v1 = sp.Matrix([1, 0])
    v2 = sp.Matrix([rho, sp.sqrt(1 - rho**2)])
    M = (rho / 2) * (v1 * v1.T + v2 * v2.T) - (v1 * v2.T + v2 * v1.T) / 2     # gradient of cos theta in A
    trM, trM2 = sp.simplify(M.trace()), sp.factor(sp.simplify((M * M).trace()))
    var_cos = (aq * trM**2 + 2 * bq * trM2 - (m / d_ * trM) ** 2) / (1 - m / d_) ** 2
    return sp.factor(var_cos / (1 - rho**2))


def angle_decay_exponent(rho: sp.Expr, beta: sp.Expr) -> sp.Expr:
    """kappa of ``angle_rms`` with m' = d^beta, 0 <= beta < 1, |rho| < 1: 1 - beta/2 (rho only scales it).

    angle_rms^2 = m'(d - m')(1 - rho^2) / (d (d-1)(d+2)(1 - m'/d)^2) = d^beta (1 - rho^2) / d^2 (1 + o(1))."""
    dd = sp.Symbol("d", positive=True)
    r = sp.Symbol("r", positive=True)               # 1 - rho^2 in (0, 1]
    mm = sp.Symbol("m", positive=True)
    sq = sp.factor(angle_rms(sp.sqrt(1 - r), mm, dd) ** 2)
    lead = sp.limit(sp.simplify(sq * dd**2 / mm).subs(mm, 1), dd, sp.oo)   # m' fixed: 1 - rho^2 ... as d -> oo
    if sp.simplify(lead - r) != 0:
        raise ArithmeticError(f"unexpected leading coefficient {lead}")
    b = sp.Symbol("b", nonnegative=True)
    return (decay_exponent(dd**b / dd**2, dd) / 2).subs(b, beta)


def angle_decay_order(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(rho, beta) = 1 - beta/2``: kappa of the RMS sqrt(G) of theta(d) - theta_0, G = ``angle_mean_square``
    with m' = d^beta, by Rule.ORDER.  G = (1 - rho^2) d^(beta + 1) / ((d - 1)(d + 2)(d - d^beta))
    = (1 - rho^2) d^(-(2 - beta)) h, h = 1/((1 - x)(1 + 2x)(1 - u)) with x = 1/d and u = d^(-(1 - beta)) -> 0 for
    beta < 1, so h -> 1 and kappa(sqrt(G)) = (2 - beta)/2 wherever rho^2 < 1 and beta < 1."""
    dd = sp.Symbol("d", positive=True)
    rh, b = sp.Symbol("rho", real=True), sp.Symbol("beta", real=True)
    x, u = sp.Symbol("x", positive=True), sp.Symbol("u", positive=True)
    order = Order(dd, angle_mean_square(rh, dd**b, dd), 1 - rh**2, 2 - b, 1 / ((1 - x) * (1 + 2 * x) * (1 - u)), x,
                  ((u, 1 - b),), root=2)
    result = Step("order", quantity(rh, b), 1 - b / 2,
                  "RMS^2 = (1 - rho^2) d^(-(2 - beta)) / ((1 - 1/d)(1 + 2/d)(1 - d^(beta - 1))): the last factor tends"
                  " to 1 for beta < 1, so the RMS decays as d^(-(1 - beta/2))", by=Rule.ORDER, using=order, start=NEW)
    return Derivation("AngleDecayExponent", "The decay exponent of the angle's first-order RMS, from its definition", (
        "m' = d^beta uniform capabilities, I empty, beta < 1", "|rho| < 1"), (), result,
        domain=(sp.Lt(b, 1), sp.Lt(rh**2, 1)))


@functools.cache
def angle_fluctuation() -> Derivation:
    """Prop 6.7 read through its fluctuation: the first-order RMS of theta(d) - theta_0 (``angle_rms``), step by
    step."""
    mm, dd = sp.Symbol("m", positive=True), sp.Symbol("d", positive=True)
    rh = sp.Symbol("rho", real=True)
    bq = mm * (dd - mm) / (dd * (dd - 1) * (dd + 2))
    aq = mm * (mm * dd + mm - 2) / (dd * (dd - 1) * (dd + 2))
    v1 = sp.Matrix([1, 0])
    v2 = sp.Matrix([rh, sp.sqrt(1 - rh**2)])
    M = (rh / 2) * (v1 * v1.T + v2 * v2.T) - (v1 * v2.T + v2 * v1.T) / 2
    trM, trM2 = M.trace(), (M * M).trace()
    steps = (
        Step("weingarten-idempotent", aq + bq * (dd + 1), mm / dd,
             "Q^2 = Q: sum_j E[Q_ij Q_jl] = E Q_il = (m'/d) delta_il, i.e. a + b (d + 1) = m'/d", start=NEW),
        Step("weingarten-rank", aq * dd**2 + 2 * bq * dd, mm**2,
             "tr Q = m': sum_{i,k} E[Q_ii Q_kk] = m'^2, i.e. a d^2 + 2 b d = m'^2 (with the above: a, b unique)",
             start=NEW),
        Step("gradient-trace", trM, 0, "M = (rho/2)(v1 v1^T + v2 v2^T) - (v1 v2^T + v2 v1^T)/2, the gradient of "
             "cos theta in A at E A = (m'/d) G (up to 1/(1 - m'/d)), has trace rho - rho = 0", start=NEW),
        Step("gradient-square", trM2, (1 - rh**2) ** 2 / 2, "tr M^2 = (1 - rho^2)^2 / 2", start=NEW),
        Step("variance", (aq * trM**2 + 2 * bq * trM2 - (mm / dd * trM) ** 2) / (1 - mm / dd) ** 2,
             bq * (1 - rh**2) ** 2 / (1 - mm / dd) ** 2,
             "Var tr(Q M) = a (tr M)^2 + 2 b tr(M^2) - (E tr(Q M))^2, over (1 - m'/d)^2", start=NEW),
    )
    result = Step("angle-rms", angle_rms(rh, mm, dd) ** 2, mm * dd * (1 - rh**2) / ((dd - 1) * (dd + 2) * (dd - mm)),
                  "delta theta = -delta cos theta / sin theta_0: RMS^2 = m' d (1 - rho^2)/((d-1)(d+2)(d-m')), of order "
                  "m'/d^2, so the fluctuation decays as d^(-(1 - beta/2)) for m' = d^beta", start=NEW)
    return Derivation("prop-6.7.fluctuation", "Prop 6.7: first-order fluctuation of the capability-mediated angle", (
        "I empty; Q = P_C a uniformly random projection of rank m' < d",
        "v1*, v2* unit with <v1*, v2*> = rho, |rho| < 1",
        "first order (delta method) in Q - E Q"), steps, result,
        domain=(sp.Lt(mm, dd), sp.Gt(dd, 2), sp.Lt(rh**2, 1)))


@functools.cache
def residual_rate() -> Derivation:
    """Cor 5.6 and the abstract: with a packing residual eta d^(-1/2) on an intrinsic pair, R(d) decays as d^(-1/2)."""
    dd = sp.Symbol("d", positive=True)
    g, e = sp.Symbol("gamma", positive=True), sp.Symbol("eta", positive=True)
    b = sp.Symbol("beta", nonnegative=True)
    A = 2 * g * e / sp.sqrt(dd) + e**2 / dd
    B = 1 - (g + e / sp.sqrt(dd)) ** 2
    steps = (
        Step("split", residual_with_intrinsic_residual(g, e, b, dd), A + B * dd**b / (dd - 1),
             "E tau - tau_0 = ((gamma + eps)^2 - gamma^2) + (1 - (gamma + eps)^2) m'/(d - 1),"
             " eps = eta d^(-1/2), m' = d^beta", start=NEW),
        Step("intrinsic-order", sp.Limit(A * sp.sqrt(dd), dd, sp.oo), 2 * g * e,
             "the intrinsic part is 2 gamma eta d^(-1/2) (1 + o(1)): decay exponent 1/2", start=NEW),
        Step("incidental-order", sp.Limit(B, dd, sp.oo), 1 - g**2,
             "the incidental part is (1 - gamma^2) d^(beta - 1) (1 + o(1)): decay exponent 1 - beta", start=NEW),
    )
    result = Step("fixed-m-prime", sp.Limit(residual_with_intrinsic_residual(g, e, 0, dd) * sp.sqrt(dd), dd, sp.oo),
                  2 * g * e, "m' fixed (beta = 0): R(d) sqrt(d) -> 2 gamma eta > 0, so R is not O(m'/d)"
                  " nor O(log d / d)", start=NEW)
    return Derivation("cor-5.6.residual",
                      "Cor 5.6 and the abstract's rate with a packing residual on an intrinsic pair", (
        "one intrinsic capability with <v*, c_1> = gamma + eta d^(-1/2), 0 < gamma < 1, eta > 0",
        "m' = d^beta incidental capabilities, uniform; expectation over them"), steps, result,
        domain=(sp.Gt(dd, 1), sp.Lt(g, 1)))


def linear_regime_tax(tau_0: sp.Expr, fraction: sp.Expr) -> sp.Expr:
    """lim_{d -> oo} E tau with m' = c d uniform incidental directions (c = ``fraction`` in (0, 1) fixed) and a fixed
    number |I| of orthonormal intrinsic ones with tau_I = tau_0: the limit of ``expected_tax``, which does not depend
    on |I| (checked: the limit is computed with |I| a free symbol)."""
    dd, kk = sp.Symbol("d", positive=True), sp.Symbol("k", nonnegative=True)
    t0, c = sp.Symbol("t0", real=True), sp.Symbol("c", positive=True)
    lim = sp.limit(expected_tax(c * dd, dd, t0, kk), dd, sp.oo)
    if lim.has(kk) or lim.has(dd):
        raise ArithmeticError(f"unexpected limit {lim}")
    # tau_0 plus the incidental part, kept as a product: its sign (and a ball around it) is then read off directly.
    lim = t0 + sp.factor(lim - t0)
    return lim.subs({t0: tau_0, c: fraction}, simultaneous=True)


# ---------------------------------------------------------------------------------------------
# Prop 5.5's with-high-probability term, eq. (11), with I empty (tau_0 = 0): tau = ||P_C v*||^2 ~ Beta(m'/2,
# (d - m')/2) exactly (``subspace_law``), so the term is a statement about the deviation of a Beta variable.

def deviation_tail(m_prime: sp.Expr, dim: sp.Expr, x: sp.Expr) -> sp.Expr:
    """P(|tau - m'/d| >= x) for tau ~ Beta(m'/2, (d - m')/2) (m' uniform directions, I empty) and x >= 0.

    With I_y(a, b) the regularised incomplete beta function (the Beta law's distribution function), the event
    |tau - m'/d| < x is max(0, m'/d - x) < tau < min(1, m'/d + x), so the tail is
    1 - (I_{min(1, m'/d + x)} - I_{max(0, m'/d - x)})(m'/2, (d - m')/2); the law is continuous, so >= and > agree."""
    m_prime, dim, x = (sp.sympify(v) for v in (m_prime, dim, x))
    mean = m_prime / dim
    return 1 - sp.betainc_regularized(m_prime / 2, (dim - m_prime) / 2, sp.Max(0, mean - x), sp.Min(1, mean + x))


def bernstein_scale(m_prime: sp.Expr, dim: sp.Expr) -> sp.Expr:
    """(sqrt(m' log d) + log d)/d: the deviation of tau that Bernstein's inequality gives at failure probability 1/d.

    d (tau - m'/d) is, up to the factor d/(X + Y) and a term of smaller order (``deviation_quantile_equivalent``),
    X - m', a sum of m' centred chi-square(1) variables, which are sub-exponential; Bernstein's inequality
    (Boucheron, Lugosi & Massart, Concentration Inequalities, 2013, Thm 2.10; for chi-square sums Laurent & Massart,
    Ann. Statist. 28 (2000), Lemma 1: P(X - m' >= 2 sqrt(m' t) + 2 t) <= e^-t)
    at t = log d bounds the deviation by a constant times this scale.  It is the reference of ``log_decay``."""
    m_prime, dim = sp.sympify(m_prime), sp.sympify(dim)
    return (sp.sqrt(m_prime * sp.log(dim)) + sp.log(dim)) / dim


def deviation_quantile_equivalent(m_prime: sp.Expr, dim: sp.Expr, fixed: bool) -> sp.Expr:
    """An explicit asymptotic equivalent, as d -> oo, of Q(d): the (1 - 1/d)-quantile of |tau - m'/d|, i.e.
    P(|tau - m'/d| >= Q(d)) = 1/d, for tau ~ Beta(m'/2, (d - m')/2).

    Write tau = X/(X + Y) with X ~ chi^2(m'), Y ~ chi^2(d - m') independent (a normalised Gaussian vector), so that
    d (tau - m'/d) (X + Y)/d = (X - m') (1 - m'/d) - (m'/d) (Y - (d - m')).  By Laurent & Massart (2000, Lemma 1) at
    t = 2 log d, with probability 1 - O(d^-2) the factor (X + Y)/d is 1 + O(sqrt(log d / d)) and the Y term is
    O((m'/d) sqrt(d log d)); both are o(1) relative to the deviations below, so Q(d) d is asymptotically the
    (1 - 1/d)-quantile of |X - m'|.

    * m' = d^beta, 0 < beta < 1 (``fixed`` False): X - m' is a sum of m' independent centred chi^2(1) variables
      (Cramer's condition holds), so by Cramer's moderate deviation theorem (Cramer 1938; Petrov, Sums of
      Independent Random Variables, 1975, Ch. VIII, Thm 2) P(|X - m'| >= z sqrt(2 m')) = 2 (1 - Phi(z)) (1 + o(1))
      uniformly for z = o(m'^(1/6)).  The level 1/d is met at z ~ sqrt(2 log d) = o(d^(beta/6)), hence
      Q ~ sqrt(2 log d) sqrt(Var tau) = sqrt(2 log d Var tau), Var tau = 2 m'(d - m')/(d^2 (d + 2)) (``subspace_law``),
      and since m' = o(d) that is ~ 2 sqrt(m' log d)/d, the form returned (``deviation_quantile`` proves the two
      equivalent).  Not sqrt(2 log d * 2 Var tau): the constant is that of one Gaussian tail on each side.
    * m' fixed (``fixed`` True): X has a fixed law whose upper tail is P(X >= y) ~ (y/2)^(m'/2 - 1) e^(-y/2) /
      Gamma(m'/2) (Abramowitz & Stegun 26.4.12 with 6.5.32), so the level 1/d is met at y = 2 log d (1 + o(1)); the
      lower deviation is at most m' (tau >= 0).  Hence Q ~ 2 log d / d.

    Both agree with Laurent & Massart's bound (2 sqrt(m' t) + 2 t)/d at t = log d to leading order: the Bernstein scale
    is sharp up to the factor 2, in either regime.  paper_checks/checks/random_subspace.py compares these equivalents
    with the exact quantile at d up to 10^128."""
    m_prime, dim = sp.sympify(m_prime), sp.sympify(dim)
    if fixed:
        return 2 * sp.log(dim) / dim
    return 2 * sp.sqrt(m_prime * sp.log(dim)) / dim


def log_decay(expr: sp.Expr, dim: sp.Symbol) -> sp.Expr:
    """lambda(g) = lim_{d -> oo} -log(g(d) / b(d)) / log log d, b the Bernstein scale (``expr`` is g / b, positive for
    d > 1): the power of log d at which g falls below b.  The finer sibling of ``decay_exponent``: g = O(r) implies
    lambda(g) >= lambda(r) for any two functions whose limits exist, whatever the common reference.

    Computed in u = log d (d = e^u, log log d = log u) with the logarithm expanded over the positive factors, a form
    in which SymPy's limit is several times faster than in d."""
    return log_decay_limit(expr, dim).doit()


def log_decay_limit(expr: sp.Expr, dim: sp.Symbol) -> sp.Limit:
    """``log_decay`` as an unevaluated limit in u = log d (a derivation's step evaluates it)."""
    u = sp.Symbol("u", positive=True)
    g = sp.expand_log(sp.log(sp.powsimp(expr.subs(dim, sp.exp(u)), force=True)), force=True)
    return sp.Limit(-g / sp.log(u), u, sp.oo)


_dd = sp.Symbol("d", positive=True)
_b = sp.Symbol("b", positive=True)          # m' = d^b: every beta > 0
_s = sp.Symbol("s", positive=True)          # beta = s/(1 + s): every beta in (0, 1)
_M = sp.Symbol("M", positive=True)          # a fixed m'


def regime_log_decay(expr: Callable[[sp.Expr, sp.Expr, bool], sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """(lambda with m' = d^beta for every beta > 0, lambda with m' fixed) of ``expr(m', d, fixed) / b(m', d)``."""
    sub = _dd**_b
    return (log_decay(expr(sub, _dd, False) / bernstein_scale(sub, _dd), _dd),
            log_decay(expr(_M, _dd, True) / bernstein_scale(_M, _dd), _dd))


def quantile_log_decay(beta_: sp.Expr) -> sp.Expr:
    """lambda(Q) for m' = d^beta, 0 <= beta < 1 (beta = 0: m' fixed), from ``deviation_quantile_equivalent``: 0 in
    both regimes (Q / b tends to 2), so it does not depend on beta.  An equivalent has the same lambda, since
    log(Q / Q_equivalent) -> 0."""
    return _quantile_log_decay() + 0 * sp.sympify(beta_)


@functools.cache
def _quantile_log_decay() -> sp.Expr:
    sublinear, fixed = regime_log_decay(deviation_quantile_equivalent)
    if sublinear.free_symbols or fixed.free_symbols or sublinear != fixed:
        raise ArithmeticError(f"lambda(Q) is {sublinear} for 0 < beta < 1 and {fixed} for m' fixed: one closed form "
                              "for every beta was expected")
    return sublinear


@functools.cache
def deviation_quantile() -> Derivation:
    """Eq. (11)'s with-high-probability term read at confidence 1 - 1/d: the quantile's equivalents against the
    Bernstein scale, the limits of ``quantile_log_decay`` as steps."""
    below = _dd ** (_s / (1 + _s))          # m' = d^beta, 0 < beta < 1: SymPy then knows that m' < d
    sub = _dd**_b
    eq_sub = deviation_quantile_equivalent(sub, _dd, False)
    eq_fix = deviation_quantile_equivalent(_M, _dd, True)
    var = beta_variance(below / 2, (_dd - below) / 2)
    steps = (
        Step("sublinear-equivalent", sp.Limit(sp.sqrt(2 * sp.log(_dd) * var) / deviation_quantile_equivalent(
            below, _dd, False), _dd, sp.oo), 1,
             "m' = d^beta, 0 < beta < 1 (beta = s/(1 + s)): sqrt(2 log d Var tau), the moderate-deviation quantile, "
             "~ 2 sqrt(m' log d)/d", start=NEW),
        Step("sublinear-log-decay", log_decay_limit(eq_sub / bernstein_scale(sub, _dd), _dd), 0,
             "against the Bernstein scale b = (sqrt(m' log d) + log d)/d, in u = log d: lambda(Q) = 0 (moderate "
             "deviations)", start=NEW),
        Step("fixed-log-decay", log_decay_limit(eq_fix / bernstein_scale(_M, _dd), _dd), 0,
             "m' fixed: Q ~ 2 log d / d (the chi-square tail), lambda(Q) = 0", start=NEW),
    )
    result = Step("sharp-up-to-2", sp.Limit(eq_fix / bernstein_scale(_M, _dd), _dd, sp.oo), 2,
                  "Q / b -> 2 for m' fixed (for m' = d^beta likewise, 2 sqrt(m' log d) / (sqrt(m' log d) + log d)"
                  " -> 2): Bernstein's scale is the quantile's order, and no rate of lambda > 0 bounds Q", start=NEW)
    return Derivation("prop-5.5.quantile", "Eq. (11) at confidence 1 - 1/d: the quantile of |tau - m'/d|", (
        "I empty: tau = ||P_C v*||^2 ~ Beta(m'/2, (d - m')/2), m' uniform directions",
        "Q(d): P(|tau - m'/d| >= Q(d)) = 1/d; its equivalents as in deviation_quantile_equivalent (moderate deviations,"
        " chi-square tail)"), steps, result)


@functools.cache
def deviation_chebyshev(claim: str, threshold: sp.Expr, bound: sp.Expr) -> Derivation:
    """A tail bound read in probability, from Chebyshev's inequality with the exact variance of ``subspace_law``:
    P(|tau - m'/d| >= x) <= Var tau / x^2 <= ``bound`` at x = ``threshold``, for tau ~ Beta(m'/2, (d - m')/2), I empty.

    ``threshold`` and ``bound`` are the statement's, in this module's symbols m, d and L = log d > 0 (d >= 2): the chain
    computes Var tau / x^2 and shows the sign of ``bound`` minus it on 1 <= m < d (SymPy, else z3 and cvc5)."""
    V, x = sp.Symbol("V", positive=True), sp.Symbol("x", positive=True)      # Chebyshev's Var / x^2
    var = 2 * m * (d - m) / (d**2 * (d + 2))
    ratio = sp.factor(sp.cancel(var / threshold**2))
    steps = (
        Step("variance", sp.Subs(beta_variance(pa, pb), (pa, pb), (m / 2, (d - m) / 2)), var,
             "Var tau for tau ~ Beta(m'/2, (d - m')/2)", start=NEW),
        Step("chebyshev", sp.Subs(V / x**2, (V, x), (var, threshold)), ratio,
             "Chebyshev: P(|tau - m'/d| >= x) <= Var tau / x^2 at the statement's threshold", start=NEW),
    )
    result = Step("bound", ratio, bound, "Var tau / x^2 is at most the statement's bound on 1 <= m' < d", Op.LE)
    return Derivation(claim, "Eq. (11) in probability: Chebyshev with the exact variance", (
        "I empty: tau ~ Beta(m'/2, (d - m')/2), 1 <= m' < d", "L = log d > 0",
        "Chebyshev's inequality P(|tau - E tau| >= x) <= Var tau / x^2 (x > 0); a probability is also at most 1"),
        steps, result, domain=(sp.Lt(m, d), sp.Ge(m, 1)))
