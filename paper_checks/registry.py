"""The registry: every audited claim of the paper, in the paper's order, with the check that judges it.

One explicit table; a claim's verdict is never stored here, only computed by its check.

Importing the registry is cheap (no SymPy, no derivation, check or statement module is imported): a check is
named in the table (``frontier.check_thm_4_1``), a derivation too (``DF.single_capability`` stands for
``derive.frontier.single_capability``), and a claim gets its check function and its formal statement from its own
family's modules when it is first asked for (``by_id``), every family's when ``CLAIMS`` is.  A family's statements
cost a tenth of a second or more, so ``explain ID`` and ``audit --only ID`` build one family, not eight; listing
the claims (``bare``) builds none.

Beside the table, plain data: each family's lane (``LANES``), the paper's sections (``SECTIONS``) and which
results the paper derives each claim from (``FOLLOWS``).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterable

from paper_checks import statements
from paper_checks.claim import Cause, Claim, Kind

if TYPE_CHECKING:
    from paper_checks.finding import AuditConfig, Evidence

    CLAIMS: tuple[Claim, ...]

__all__ = ["CLAIMS", "IDS", "LANES", "SECTIONS", "SECTION_OF", "FOLLOWS", "by_id", "bare", "built", "family_of",
           "lane_of", "derivation_sources", "CheckRef", "DerivationRef", "Chain", "Reading"]


@dataclass(frozen=True)
class CheckRef:
    """A claim's check by name in the table, ``paper_checks.checks.<family>.<name>``; ``by_id`` replaces it
    by the function itself."""

    family: str
    name: str

    @property
    def function(self) -> Callable[[AuditConfig], Evidence]:
        return getattr(importlib.import_module(f"paper_checks.checks.{self.family}"), self.name)


@dataclass(frozen=True)
class DerivationRef:
    """A derivation function by name, ``derive.<family>.<name>``: called, it imports that module (SymPy with it)
    and builds the derivation.  Equal references name the same function, so two claims that list it reuse one
    derivation."""

    family: str
    name: str

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(f"derive.{self.family}"), self.name)(*args)


@dataclass(frozen=True)
class Chain:
    """A derivation built from a formal statement (``paper_checks.statements.<family>.<name>(*args)``), named in
    the table and imported when built, so that reading one claim builds only the families it needs."""

    family: str
    name: str
    args: tuple = ()

    def __call__(self) -> Any:
        return getattr(statements.family(self.family), self.name)(*self.args)


@dataclass(frozen=True)
class Reading:
    """A derivation that reads its claim's formal statement, ``make(statement)`` (and ``definitions.expand`` when
    it unfolds the statement's defined quantities itself): derive/ never imports paper_checks, the statement is
    handed in, when the derivation is built."""

    make: Callable
    claim_id: str
    with_expand: bool = False

    def __call__(self) -> Any:
        from paper_checks.definitions import expand
        statement = by_id(self.claim_id).statement
        return self.make(statement, expand) if self.with_expand else self.make(statement)


def _ending_in(claim_id: str, make: Callable, keep_optima: bool = False) -> Chain:
    """The chain ``make(target)`` ending in the claim's own conclusion
    (``statements.capability_constraint.EndingIn``)."""
    return Chain("capability_constraint", "chain_ending_in", (claim_id, make, keep_optima))


class _Checks:
    """Stands for ``paper_checks.checks.<family>`` in the table: ``frontier.check_thm_4_1`` is a CheckRef."""

    def __init__(self, family: str) -> None:
        self._family = family

    def __getattr__(self, name: str) -> CheckRef:
        if name.startswith("_"):
            raise AttributeError(name)
        return CheckRef(self._family, name)


class _Derivations:
    """Stands for ``derive.<family>`` in the table: ``DF.single_capability`` is a DerivationRef."""

    def __init__(self, family: str) -> None:
        self._family = family

    def __getattr__(self, name: str) -> DerivationRef:
        if name.startswith("_"):
            raise AttributeError(name)
        return DerivationRef(self._family, name)


capability_constraint, conflict, frontier, packing, random_subspace, safety_pair, tax_rate, whitening = (
    _Checks(f) for f in ("capability_constraint", "conflict", "frontier", "packing", "random_subspace", "safety_pair",
                         "tax_rate", "whitening"))
DK, DC, DF, DP, DR, DS, DT, DW = (
    _Derivations(f) for f in ("capability_constraint", "conflict", "frontier", "packing", "random_subspace",
                              "safety_pair", "tax_rate", "whitening"))

_TABLE: tuple[Claim, ...] = (
    Claim("def-3.3", Kind.DEFINITION, "Definition 3.3",
          r"$\mathrm{KL}(\pi_\theta \| \pi_{\mathrm{ref}}) \approx \tfrac12 \delta^\top F \delta$,"
          r" $F$ the Fisher information", (DW.kl_expansion,), whitening.check_def_3_3),
    Claim("def-3.4", Kind.DEFINITION, "Definition 3.4, eq. (2)",
          r"$\tau = \|P_C v^*\|^2 \in [0, 1]$; $\tau = 0$: safety orthogonal to all capabilities",
          (DT.tax_range, Chain("tax_rate", "chain_def_3_4")), tax_rate.check_def_3_4),
    Claim("def-3.4.loss", Kind.GLOSS, "Definition 3.4",
          r"when $\tau = 1$ ... any safety gain requires capability loss", (DT.full_tax_changes_capability,),
          tax_rate.check_def_3_4_loss,
          cause=Cause.OVERREACHING_NAME),
    Claim("thm-4.1", Kind.THEOREM, "Theorem 4.1, eq. (1) and (3)",
          r"$\Delta_S = \Delta_C \cos\alpha + \sin\alpha\sqrt{B^2 - \Delta_C^2},\ |\Delta_C| \le B$",
          (DF.single_capability, Reading(DF.maximum, "thm-4.1", with_expand=True),
           Reading(DF.maximum_from_definition, "thm-4.1", with_expand=True)), frontier.check_thm_4_1),
    Claim("thm-4.1.tight", Kind.THEOREM, "Theorem 4.1 (\"This frontier is tight\")",
          r"tight: for each $\Delta_C \in [-B, B]$ there exists $\delta^*$ with $\|\delta^*\| = B$ achieving equality",
          (DF.single_capability, DF.tightness), frontier.check_thm_4_1_tight,
          cause=Cause.OMITTED_HYPOTHESIS),
    Claim("thm-4.1.pareto", Kind.THEOREM, "Theorem 4.1 (\"the Pareto frontier\")",
          r"the Pareto frontier is $\Delta_S = \Delta_C\cos\alpha + \sin\alpha\sqrt{B^2-\Delta_C^2}$"
          r" for $|\Delta_C| \le B$", (DF.pareto_efficient_part, DF.pareto_dominated_arc), frontier.check_pareto,
          cause=Cause.OVERREACHING_NAME,
          reading="efficient set (the glossary's 'Pareto frontier'): the updates no other update beats in both "
                  "objectives; the theorem's apposition, 'or the maximum achievable safety gain for a given "
                  "capability change', is thm-4.1's statement (verified)"),
    Claim("ellipse", Kind.GLOSS, "Abstract, Section 1, Section 11",
          r"the tradeoff is an elliptic Pareto frontier parameterized by a single angle $\alpha$",
          (DF.ellipse,), frontier.check_ellipse,
          cause=Cause.OVERREACHING_NAME),
    Claim("ellipse.conic", Kind.GLOSS, "Theorem 4.1 (proof); Abstract, Section 1, Section 11",
          r"substituting into the budget constraint yields $(\delta_1 - \Delta_C \cos \alpha)^2 \leq \sin^2 \alpha"
          r" (B^2 - \Delta_C^2)$ ... an elliptic Pareto frontier",
          (Reading(DF.on_conic, "ellipse.conic", with_expand=True),
           Reading(DF.conic_from_definition, "ellipse.conic", with_expand=True)), frontier.check_ellipse_conic),
    Claim("ellipse.sphere", Kind.GLOSS, "Section 11",
          r"a conic section, which is the same curve that arises from intersecting a sphere with a plane",
          (DF.ellipse,), frontier.check_sphere_section,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("rem-4.2", Kind.REMARK, "Remark 4.2",
          r"When $\alpha = 0$: $\Delta_S = \Delta_C$ (linear tradeoff)",
          (Reading(DF.linear_tradeoff, "rem-4.2", with_expand=True),
           Reading(DF.value_at_fixed_angle, "rem-4.2", with_expand=True)), frontier.check_rem_4_2),
    Claim("rem-4.2.orthogonal", Kind.REMARK, "Remark 4.2",
          r"When $\alpha = \pi/2$: $\Delta_S = \sqrt{B^2 - \Delta_C^2}$",
          (Reading(DF.orthogonal_case, "rem-4.2.orthogonal", with_expand=True),
           Reading(DF.value_at_fixed_angle, "rem-4.2.orthogonal", with_expand=True)),
          frontier.check_rem_4_2_orthogonal),
    Claim("rem-4.2.quarter", Kind.GLOSS, "Remark 4.2", r"(quarter circle independent optimization)",
          (DF.limiting_cases,), frontier.check_rem_4_2_quarter),
    Claim("rem-4.2.continuity", Kind.GLOSS, "Remark 4.2",
          r"The frontier continuously interpolates between these extremes", (DF.limiting_cases,),
          frontier.check_rem_4_2_continuity),
    Claim("thm-4.3", Kind.THEOREM, "Theorem 4.3, eq. (4)",
          r"$\Delta_S^{\max} = \langle v^*, \delta_C^*\rangle + \sqrt{B^2 - \|\delta_C^*\|^2}\,\|P_{C^\perp} v^*\|$,"
          r" achieved by $\delta^* = \delta_C^* + \sqrt{B^2 - \|\delta_C^*\|^2}\, P_{C^\perp} v^*/\|P_{C^\perp} v^*\|$",
          (_ending_in("thm-4.3", DK.maximum, keep_optima=True),), capability_constraint.check_thm_4_3),
    Claim("thm-4.3.maximiser", Kind.THEOREM, "Theorem 4.3",
          r"achieved by $\delta^* = \delta_C^* + \sqrt{B^2-\|\delta_C^*\|^2}\,P_{C^\perp}v^*/\|P_{C^\perp}v^*\|$",
          (DK.fixed_capability,), capability_constraint.check_thm_4_3,
          cause=Cause.OMITTED_HYPOTHESIS),
    Claim("cor-4.4", Kind.COROLLARY, "Corollary 4.4, eq. (5)", r"$\Delta_S^{\mathrm{free}} = B\sqrt{1 - \tau}$",
          (_ending_in("cor-4.4", DK.maximum_tax_free, keep_optima=True),), capability_constraint.check_cor_4_4),
    Claim("cor-4.4.small-tau", Kind.GLOSS, "Corollary 4.4",
          r"When $\tau \ll 1$, almost the full budget is available for tax-free safety improvement",
          (_ending_in("cor-4.4.small-tau", DK.small_tax, keep_optima=True),), capability_constraint.check_cor_4_4),
    Claim("cor-4.5", Kind.COROLLARY, "Corollary 4.5, eq. (6)", r"$\tau_i = \langle v^*, c_i\rangle^2$",
          (DT.single_direction, Chain("tax_rate", "chain_cor_4_5")), tax_rate.check_cor_4_5),
    Claim("rem-4.6", Kind.REMARK, "Remark 4.6", r"$\tau = (C^\top v^*)^\top (C^\top C)^{-1} (C^\top v^*)$",
          (DT.gram_form, Chain("tax_rate", "chain_rem_4_6")), tax_rate.check_rem_4_6),
    Claim("rem-4.6.additivity", Kind.GLOSS, "Remark 4.6",
          r"In general, capabilities may overlap, and the joint tax can be less than the sum of individual taxes",
          (DT.gram_form,), tax_rate.check_rem_4_6_additivity,
          reading="literal: 'can be less' is existential (some geometry has tau < tau_1 + tau_2)"),
    Claim("rem-4.6.subadditive", Kind.IMPLIED, "Remark 4.6",
          r"(suggested by 'the joint tax can be less than the sum') overlap can only lower the joint tax,"
          r" $\tau \le \sum_i \tau_i$", (DT.gram_form,), tax_rate.check_rem_4_6_additivity,
          cause=Cause.IMPLICATION,
          reading="implied: what 'can be less' suggests, that overlap never raises the joint tax"),
    Claim("cor-4.7", Kind.COROLLARY, "Corollary 4.7, eq. (7)",
          r"$\langle v^*, \delta_C^*\rangle > 0 \Rightarrow \Delta_S^{\max} > \sqrt{B^2 - \|\delta_C^*\|^2}"
          r"\sqrt{1 - \tau}$; capability improvement subsidizes safety",
          (_ending_in("cor-4.7", DK.negative_tax, keep_optima=True),),
          capability_constraint.check_cor_4_7),
    Claim("cor-4.7.subsidy", Kind.GLOSS, "Corollary 4.7",
          r"Capability improvement subsidizes safety when the projection $\langle v^*,\delta_C^*\rangle$ is large"
          r" enough to compensate for the reduced residual budget",
          (_ending_in("cor-4.7.subsidy", DK.subsidy, keep_optima=True),),
          capability_constraint.check_cor_4_7),
    Claim("sec-4.4", Kind.GLOSS, "Section 4.4",
          r"under $\delta^\top F \delta \le B^2$ all results carry over with modified angles $\tilde\alpha$",
          (DW.anisotropic_frontier,), whitening.check_sec_4_4,
          cause=Cause.OVERREACHING_NAME),
    Claim("sec-5.1", Kind.REMARK, "Section 5.1",
          r"$\mu = O(\sqrt{\log N/d})$ for random packings and $\mu \ge \sqrt{(N-d)/(d(N-1))}$ (Welch);"
          r" equiangular tight frames achieve the Welch bound", (DP.welch,), packing.check_sec_5_1),
    Claim("sec-5.1.random", Kind.REMARK, "Section 5.1",
          r"Standard bounds give $\mu = O(\sqrt{\log N/d})$ for random packings", (DP.welch,),
          packing.check_sec_5_1_random),
    Claim("thm-5.4", Kind.THEOREM, "Theorem 5.4, eq. (8)-(10)",
          r"$|R(d)| \le \frac{\tau_0 m \mu + m' \mu^2 + 2\bar\gamma|I|\mu + |I|\mu^2}{1 - m\mu}$ under"
          r" $m\mu < 1$ (Definitions 5.1-5.3)", (DP.scaling_bound,), packing.check_thm_5_4,
          cause=Cause.OMITTED_HYPOTHESIS),
    Claim("prop-5.5", Kind.PROPOSITION, "Proposition 5.5, eq. (11)",
          r"$\tau = \tau_0 + m'/d + O(\cdot)$ with high probability; the leading packing term $m'/d$ is exact in"
          r" expectation", (DR.subspace_law, DR.intrinsic_expectation), random_subspace.check_prop_5_5,
          cause=Cause.FALSE_MATHEMATICS,
          reading="in expectation: the sentence 'the leading packing term m'/d is exact in expectation'"),
    Claim("prop-5.5.whp", Kind.PROPOSITION, "Proposition 5.5, eq. (11), read in probability",
          r"$\tau = \tau_0 + m'/d + O\left(\bar\gamma \sqrt{|I| \log d}/\sqrt{d} + \sqrt{m' + \log d}/d\right)$"
          r" with high probability", (DR.subspace_law, Chain("random_subspace", "chain_prop_5_5_whp")),
          random_subspace.check_prop_5_5_whp,
          reading="in probability: at every fixed level, with an explicit constant C"),
    Claim("prop-5.5.quantile", Kind.PROPOSITION,
          "Proposition 5.5, eq. (11), read at confidence 1 - 1/d",
          r"$\tau = \tau_0 + m'/d + O\left(\bar\gamma \sqrt{|I| \log d}/\sqrt{d} + \sqrt{m' + \log d}/d\right)$"
          r" with high probability. Proof: ... Apply Bernstein's inequality ... to the sum",
          (DR.subspace_law, DR.deviation_quantile), random_subspace.check_prop_5_5_quantile,
          cause=Cause.FALSE_MATHEMATICS,
          reading="at confidence 1 - 1/d: the quantile Bernstein's inequality at t = log d bounds"),
    Claim("prop-5.5.intrinsic", Kind.PROPOSITION, "Proposition 5.5, eq. (11), with intrinsic capabilities",
          r"$\tau = \tau_0 + m'/d + O\left(\bar\gamma \sqrt{|I| \log d}/\sqrt{d} + \sqrt{m' + \log d}/d\right)$"
          r" with high probability", (DR.intrinsic_expectation,), random_subspace.check_prop_5_5_intrinsic,
          cause=Cause.FALSE_MATHEMATICS,
          reading="in expectation: the mean offset E[tau] - tau_0 - m'/d against eq. (11)'s O-terms"),
    Claim("cor-5.6", Kind.COROLLARY, "Corollary 5.6",
          r"$m'$ fixed: $\tau \to \tau_0$ at rate $O(\log d/d)$; $m' = d^\beta$: $O(\log d/d^{1-\beta})$;"
          r" $m' = \Theta(d)$: $\mathbb{E}[\tau - \tau_0] = \Theta(1)$", (DR.intrinsic_expectation, DR.residual_rate),
          random_subspace.check_cor_5_6,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("cor-5.6.linear", Kind.COROLLARY, "Corollary 5.6 (3)",
          r"Linear growth ($m' = \Theta(d)$): $\mathbb{E}[\tau - \tau_0] = \Theta(1)$. Scaling does not reduce the"
          r" incidental tax.", (DR.intrinsic_expectation, Chain("random_subspace", "chain_cor_5_6_linear")),
          random_subspace.check_cor_5_6_linear,
          cause=Cause.OMITTED_HYPOTHESIS),
    Claim("rem-5.8", Kind.REMARK, "Remark 5.8",
          r"$m\mu < 1$ with $m = d^\beta$, $\mu = O(\sqrt{\log d/d})$ holds for $\beta < 1/2$; the incidental tax"
          r" still vanishes if $m' = o(d)$", (DR.self_consistency,), packing.check_rem_5_8),
    Claim("thm-6.1", Kind.THEOREM, "Theorem 6.1, eq. (12)-(13)",
          r"$\cos\theta = \frac{\rho - ab}{\sqrt{(1-a^2)(1-b^2)}},\ s_1 = s_2\cos\theta + \sin\theta\sqrt{1 - s_2^2}$",
          (Reading(DS.effective_angle, "thm-6.1"),), safety_pair.check_thm_6_1),
    Claim("rem-6.2", Kind.REMARK, "Remark 6.2",
          r"$\cos\theta = (\rho - ab)/\sqrt{(1-a^2)(1-b^2)}$ is exactly the partial correlation of $v_1^*, v_2^*$"
          r" given $c$",
          (Reading(DS.partial_correlation, "rem-6.2"),), safety_pair.check_rem_6_2),
    Claim("cor-6.3", Kind.COROLLARY, "Corollary 6.3, eq. (14)",
          r"the maximum equal normalized gain $s_1 = s_2 = s$ is $s = \cos(\theta/2)$",
          (Reading(DS.equal_gain, "cor-6.3"),),
          safety_pair.check_cor_6_3),
    Claim("cor-6.3.decreasing", Kind.GLOSS, "Corollary 6.3",
          r"Joint improvement degrades continuously as $\theta$ increases from 0 to $\pi$",
          (Reading(DS.equal_gain_decreasing, "cor-6.3.decreasing"),),
          safety_pair.check_cor_6_3),
    Claim("thm-6.4.i", Kind.THEOREM, "Theorem 6.4 (i)",
          r"$\mathrm{sgn}(a) \ne \mathrm{sgn}(b) \Rightarrow \mathcal{C}(c) > \rho$", (DC.opposite_signs,),
          conflict.check_thm_6_4_i,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("thm-6.4.ii", Kind.THEOREM, "Theorem 6.4 (ii)", r"$a = b \Rightarrow \mathcal{C}(c) \le \rho$",
          (Reading(DC.equal_projections, "thm-6.4.ii"),), conflict.check_thm_6_4_ii),
    Claim("thm-6.4.iii", Kind.THEOREM, "Theorem 6.4 (iii)",
          r"$\rho = 0.99, a = 0.1, b = 0.001$ gives $\mathcal{C}(c) \approx 0.995 > 0.99 = \rho$",
          (Reading(DC.suppressor_example, "thm-6.4.iii"),), conflict.check_thm_6_4_iii),
    Claim("thm-6.4.reading", Kind.GLOSS, "Theorem 6.4 (i), Section 9.4, Prediction 4",
          r"preserving this capability strictly improves the safety tradeoff (the safety-safety Pareto frontier)",
          (), conflict.check_preservation_reading,
          cause=Cause.OVERREACHING_NAME),
    Claim("prop-6.5", Kind.PROPOSITION, "Proposition 6.5, eq. (15)-(16)",
          r"$\cos\theta = \frac{\rho - a^\top (C^\top C)^{-1} b}{\sqrt{(1-\tau_1)(1-\tau_2)}}$;"
          r" the frontier under preservation of all capabilities is (13) with this $\theta$",
          (Reading(DS.multi_capability_frontier, "prop-6.5", with_expand=True),
           Reading(DS.multi_capability, "prop-6.5")), safety_pair.check_prop_6_5),
    Claim("cor-6.6", Kind.COROLLARY, "Corollary 6.6, eq. (17)",
          r"$\min(\Delta_{S_1}, \Delta_{S_2}) \le B' \cos(\theta/2) \min(\sqrt{1-\tau_1}, \sqrt{1-\tau_2})$",
          (Reading(DS.max_min_absolute, "cor-6.6", with_expand=True),), safety_pair.check_cor_6_6,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("prop-6.7", Kind.PROPOSITION, "Proposition 6.7, eq. (18)",
          r"$\theta(d) = \theta_0 + O(m'/d)$ for $m' = o(d/\log d)$; $O(\sqrt{m'/d})$ when $\theta_0 \in \{0, \pi\}$",
          (DR.angle_mean_shift, DR.angle_fluctuation, Chain("random_subspace", "chain_prop_6_7")),
          random_subspace.check_prop_6_7),
    Claim("sec-7.1", Kind.GLOSS, "Section 7.1, eq. (19)",
          r"$\Delta_S^{\mathrm{NSPO}} = B\|P_{C^\perp} v^*\| = B\sqrt{1-\tau}$",
          (_ending_in("sec-7.1", DK.maximum_tax_free, keep_optima=True),), capability_constraint.check_sec_7_1),
    Claim("sec-7.1.equivalence", Kind.GLOSS, "Section 7.1",
          r"safety improves with $< 1\%$ capability degradation ... is equivalent to $\tau \ll 1$",
          (DK.null_space_update,),
          capability_constraint.check_sec_7_1_equivalence,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("sec-7.2", Kind.REMARK, "Section 7.2",
          r"$\mathbb{E}[\langle c_j, P_U c_j\rangle] = r/d$; for $r = 8$, $d = 4096$ this gives $\sim 0.2\%$",
          (DR.lora_overlap, Chain("random_subspace", "chain_sec_7_2")), random_subspace.check_sec_7_2),
    Claim("sec-7.3", Kind.GLOSS, "Section 7.3",
          r"model averaging traces a straight line inscribed in the curved frontier: good but not Pareto-optimal",
          (DF.averaging_line,), frontier.check_sec_7_3,
          cause=Cause.OVERREACHING_NAME),
    Claim("abstract-rate", Kind.GLOSS, "Abstract",
          r"a packing residual that vanishes as $O(m'/d)$ with model dimension $d$",
          (DR.intrinsic_expectation, DR.residual_rate),
          random_subspace.check_abstract_rate,
          cause=Cause.OVERREACHING_NAME),
    Claim("pred-1", Kind.PREDICTION, "Prediction 1",
          r"per-task tax from geometry, computable before alignment training", (), tax_rate.check_pred_1),
    Claim("pred-1.model", Kind.GLOSS, "Prediction 1", r"$\Delta_{C_i} \propto -\tau_i$", (DT.safety_maximising_change,),
          tax_rate.check_pred_1_model,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("pred-1.ordering", Kind.GLOSS, "Prediction 1",
          r"the per-task ordering of degradation should match the ordering of $\tau_i$",
          (DT.safety_maximising_change,), tax_rate.check_pred_1_model,
          cause=Cause.OVERREACHING_NAME),
    Claim("pred-2", Kind.PREDICTION, "Prediction 2",
          r"scaling decomposition: incidental tasks decrease as $O(1/d)$, intrinsic tasks plateau", (),
          tax_rate.check_pred_2),
    Claim("pred-3", Kind.PREDICTION, "Prediction 3",
          r"HMA outperforms uniform averaging when principal angles vary across layers", (), tax_rate.check_pred_3),
    Claim("pred-4", Kind.PREDICTION, "Prediction 4",
          r"preserving an opposite-sign capability improves the joint safety frontier", (), conflict.check_pred_4),
    # ---- Sentences of Sections 1, 7.4, 7.5, 9.3 and 9.4 that state signs, angles or which capabilities help, read
    # under the paper's definitions (paper_checks/coverage_map.json maps each sentence to its claims).
    Claim("sec-9.3.entangled", Kind.GLOSS, "Section 1, Section 9.3 (entangled regime)",
          r"When $\alpha = 0$ ..., the tradeoff is linear and unavoidable; entangled regime ($\alpha \approx 0, \tau"
          r" \approx 1$): any safety gain comes at nearly one-to-one capability cost",
          (DT.full_tax_changes_capability,),
          tax_rate.check_sec_9_3_entangled,
          cause=Cause.OVERREACHING_NAME),      # as def-3.4.loss: "cost" is signed, tau is not
    Claim("sec-9.3.tradeoff", Kind.GLOSS, "Section 9.3 (tradeoff regime)",
          r"tradeoff regime ($0 < \tau < 1$): the optimal strategy allocates perturbation partly along the capability"
          r" subspace (accepting some cost)", (DT.safety_maximising_change,), tax_rate.check_sec_9_3_tradeoff,
          cause=Cause.OVERREACHING_NAME),
    Claim("sec-7.5.tradeoff", Kind.GLOSS, "Section 7.5",
          r"a trade-off between capability and alignment ... is exactly the non-zero tax regime ($\tau > 0$)",
          (DT.safety_maximising_change,), tax_rate.check_sec_7_5_tradeoff,
          cause=Cause.OVERREACHING_NAME),
    Claim("sec-7.4.angle", Kind.GLOSS, "Section 7.4, Section 7.1",
          r"higher $\tau_i = \langle v^*, c_i \rangle^2$, meaning they have smaller angles to the safety direction",
          (DT.single_direction,), tax_rate.check_sec_7_4_angle,
          cause=Cause.DEFINITION_MISMATCH),
    Claim("sec-9.4.exactly", Kind.GLOSS, "Section 9.4",
          r"the formalization predicts exactly which capabilities to constrain (those satisfying"
          r" $\mathrm{sgn}(\langle c, v_1^* \rangle) \ne \mathrm{sgn}(\langle c, v_2^* \rangle)$)",
          (), conflict.check_sec_9_4_exactly,
          cause=Cause.FALSE_MATHEMATICS),
    Claim("sec-1.orthogonal.independent", Kind.GLOSS, "Section 1 (independence reading)",
          r"When $\alpha = \pi/2$ (orthogonal), ... safety can be maximized independently of capability",
          (Reading(DF.orthogonal_case, "rem-4.2.orthogonal", with_expand=True),), frontier.check_rem_4_2_orthogonal),
    Claim("rem-5.7.decrease", Kind.GLOSS, "Remark 5.7",
          r"Tasks where $\tau_i$ decreases with $d$ have incidental overlap", (DT.single_direction,),
          tax_rate.check_rem_5_7_decrease,
          cause=Cause.OVERREACHING_NAME),      # a diagnostic read as an equivalence
    Claim("sec-7.2.percentage", Kind.GLOSS, "Section 7.2",
          r"For $r = 8$ and $d = 4096$, this gives $\sim 0.2\%$ expected capability perturbation, consistent with the"
          r" within 1\% empirical finding", (DR.lora_overlap,), random_subspace.check_sec_7_2_percentage,
          cause=Cause.DEFINITION_MISMATCH,
          reading="linear: a perturbation is a capability change <c, u>, of root-mean-square size sqrt(r/d); the "
                  "squared overlap E||P_U c||^2 = r/d, which is 0.2%, is sec-7.2's statement (verified)"),
)

IDS: tuple[str, ...] = tuple(c.id for c in _TABLE)

# Each family's lane: the families a parallel audit judges in one process.  frontier's claims build whitening's
# anisotropic frontier from frontier's closed forms, and conflict's statements and checks read safety_pair's effective
# angle; judged apart, each process would build those twice.  tests/paper_checks/test_registry.py imports each family
# in a fresh interpreter and checks that it loads no other lane's families.
LANES: dict[str, str] = {
    "whitening": "whitening", "frontier": "whitening", "tax_rate": "tax_rate",
    "capability_constraint": "capability_constraint", "packing": "packing", "random_subspace": "random_subspace",
    "safety_pair": "conflict", "conflict": "conflict",
}

# The paper's numbered sections that hold claims, by number.
SECTIONS: dict[int, str] = {
    1: "Introduction", 3: "Setup and Definitions", 4: "The Pareto Frontier", 5: "Scaling Law for the Alignment Tax",
    6: "Multi-Objective Safety and the Conflict Theorem", 7: "Connections to Existing Empirical Results",
    8: "Predictions",
}

# The section a claim is drawn in when its id numbers none (its sub-claims go with it).
SECTION_OF: dict[str, int] = {"ellipse": 4, "abstract-rate": 5, "pred-1": 8, "pred-2": 8, "pred-3": 8, "pred-4": 8}

# What the paper derives each claim from, by its own words (a sub-claim reads its claim and is not listed): the result
# a corollary or remark specialises, the equation a section applies, the result a prediction tests.  Read by the
# dependency graph of the reports.
FOLLOWS: dict[str, tuple[str, ...]] = {
    "thm-4.1": ("def-3.3",),                   # the budget ||delta|| <= B of Definition 3.3
    "ellipse": ("thm-4.1",),                   # the frontier of Theorem 4.1 is an ellipse
    "rem-4.2": ("thm-4.1",),                   # "Limiting cases" of the frontier
    "thm-4.3": ("def-3.4",),                   # the projection P_C of the tax rate's definition
    "cor-4.4": ("thm-4.3",),                   # Theorem 4.3 at delta_C* = 0
    "cor-4.5": ("def-3.4",),                   # the tax rate of one capability direction
    "rem-4.6": ("def-3.4",),                   # the tax rate of several capability directions
    "cor-4.7": ("thm-4.3",),                   # eq. (4) when <v*, delta_C*> > 0
    "sec-4.4": ("def-3.3", "thm-4.1"),         # the Fisher budget; "all results carry over"
    "thm-5.4": ("def-3.4",),
    "prop-5.5": ("thm-5.4",),                  # "Tight version" of the scaling law
    "cor-5.6": ("prop-5.5",),                  # eq. (11) in three growth regimes
    "rem-5.8": ("thm-5.4", "sec-5.1.random"),  # m mu < 1 with the random-packing coherence
    "abstract-rate": ("thm-5.4",),             # the packing residual of the scaling law
    "thm-6.1": ("thm-4.1",),                   # "identical in structure to the proof of Theorem 4.1"
    "rem-6.2": ("thm-6.1",),                   # the cos(theta) of eq. (12)
    "cor-6.3": ("thm-6.1",),                   # "Set s1 = s2 = s in equation 13"
    "thm-6.4.i": ("thm-6.1",),                 # C(c) = cos(theta) of eq. (12)
    "thm-6.4.ii": ("thm-6.1",),
    "thm-6.4.iii": ("thm-6.1",),
    "thm-6.4.reading": ("thm-6.4.i",),
    "prop-6.5": ("thm-6.1",),                  # "the same form equation 13 with this theta"
    "cor-6.6": ("prop-6.5", "cor-6.3"),        # cos(theta/2) with the multi-capability theta
    "prop-6.7": ("prop-6.5", "prop-5.5"),      # the angle of Proposition 6.5 under "the packing model of section 5"
    "sec-7.1": ("thm-4.3",),                   # "the zero-capability-cost strategy of Theorem 4.3"
    "sec-7.3": ("thm-4.1",),                   # "The true frontier equation 3 is curved"
    "pred-1": ("cor-4.5",),                    # tau_i = <v*, c_i>^2
    "pred-2": ("cor-5.6", "prop-5.5"),         # incidental tasks O(1/d), intrinsic ones plateau
    "pred-3": ("sec-7.3",),                    # HMA against uniform averaging
    "pred-4": ("thm-6.4.i",),                  # preserving an opposite-sign capability
}
_BARE = {c.id: c for c in _TABLE}          # checks by name, no statements
_COMPLETE: dict[str, Claim] = {}           # check functions and statements, built on first use


def _complete(claim: Claim) -> Claim:
    """The claim with its check function, its formal statement and the corrections the audit proposes.

    A claim's statement lives in the family of its check, or nowhere (a prediction: no mathematical content);
    tests/paper_checks/test_registry.py checks that this gives what the merged tables give, for every claim.
    Only that family is built."""
    own = statements.family(claim.check.family)
    return replace(claim, check=claim.check.function, statement=own.STATEMENTS.get(claim.id),
                   corrections=own.CORRECTIONS.get(claim.id, ()))


def by_id(claim_id: str) -> Claim:
    """The claim ``claim_id`` with its check and its statement (the same object as in ``CLAIMS``)."""
    claim = _COMPLETE.get(claim_id)
    if claim is None:
        try:
            entry = _BARE[claim_id]
        except KeyError:
            raise KeyError(_unknown(claim_id)) from None
        claim = _COMPLETE[claim_id] = _complete(entry)
    return claim


def bare(ids: Iterable[str] | None = None) -> tuple[Claim, ...]:
    """The registry's entries named by ``ids`` (all when None), in the registry's order, as they stand before
    their statements are built (a check by name, no statement): cheap.  ``built`` (and ``audit.judge``) builds
    one, so that a parallel audit builds each family in the process that judges it."""
    wanted = None if ids is None else set(ids)
    for i in wanted or ():
        if i not in _BARE:
            raise KeyError(_unknown(i))
    return tuple(_BARE[i] for i in IDS if wanted is None or i in wanted)


def built(claim: Claim) -> Claim:
    """``claim`` with its check and statement: ``by_id`` of a bare entry (``bare``), any other claim as it is."""
    # Equal, not identical: a bare entry that was pickled (a spawn pool, a queue) is still the table's entry.
    return by_id(claim.id) if _BARE.get(claim.id) == claim else claim


def _unknown(claim_id: str) -> str:
    return f"claim id {claim_id!r} is not in the registry; known ids: {', '.join(IDS)}"


def lane_of(claim_id: str) -> str:
    """The lane of the claim's family (``LANES``); a claim outside the registry (a test's) is a lane of its own."""
    family = family_of(claim_id)
    return LANES.get(family, family)


def derivation_sources(claim: Claim) -> tuple[Callable, ...]:
    """What a claim's derivations are built from: the derive/ function a ``Reading`` reads the statement with or a
    ``Chain`` is handed (``_ending_in``), else the entry itself (a DerivationRef, a Chain of its own, a function).
    Two claims that share a source reuse one derivation."""
    out: list[Callable] = []
    for make in claim.derivations:
        if isinstance(make, Reading):
            parts: tuple = (make.make,)
        elif isinstance(make, Chain):
            parts = tuple(a for a in make.args if callable(a)) or (make,)
        else:
            parts = (make,)
        out += [p for p in parts if p not in out]
    return tuple(out)


def family_of(claim_id: str) -> str:
    """The family of a claim (its check's module under ``paper_checks.checks``), without building it; a claim
    outside the registry (a test's) is a family of its own, named by its id."""
    entry = _BARE.get(claim_id)
    return entry.check.family if entry is not None else claim_id


def __getattr__(name: str) -> Any:
    # PEP 562: CLAIMS, every claim with its statement, is built the first time it is asked for.
    if name != "CLAIMS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    claims = tuple(by_id(i) for i in IDS)
    globals()["CLAIMS"] = claims
    return claims
