"""pytest -k by claim id: every test of a claim carries its id; failure messages show where the sides differ."""
from __future__ import annotations

from pathlib import Path

import sympy as sp

from derive.core import Derivation, Op, Status, Step
from proofs.claim_ids import claims_in_name, exact_ids, selects
from proofs.conftest import differing_point, step_failure

ROOT = Path(__file__).parents[2]


def test_ids_in_names_params_and_underscores() -> None:
    assert claims_in_name("test_cor_6_6_corrected") == {"cor-6.6"}
    assert claims_in_name("test_thm_6_1_rem_6_2_cor_6_3") == {"thm-6.1", "rem-6.2", "cor-6.3"}
    assert claims_in_name("test_claim_is_decided_with_passing_certificates[cor-6.6]") == {"cor-6.6"}
    assert claims_in_name("test_step_follows[thm-4.1.pareto:thm-4.1.pareto:kkt]") == {"thm-4.1.pareto"}


def test_the_longest_id_wins_and_neighbours_do_not_match() -> None:
    assert claims_in_name("test_thm_4_1_pareto_corrected") == {"thm-4.1.pareto"}
    assert claims_in_name("test_thm_6_4_ii") == {"thm-6.4.ii"}
    assert claims_in_name("test_thm_6_4_i_corrected") == {"thm-6.4.i"}
    assert claims_in_name("test_x[thm-6.4.iii]") == {"thm-6.4.iii"}
    assert claims_in_name("test_tax_rate_forms") == set()
    assert claims_in_name("test_x[a_1]") == set()


def test_exact_selection_takes_sub_claims_not_neighbours() -> None:
    assert selects("thm-4.1", {"thm-4.1.pareto"}) and selects("thm-6.4.i", {"thm-6.4.i"})
    assert not selects("thm-6.4.i", {"thm-6.4.ii"}) and not selects("thm-6.4.i", {"thm-6.4.iii"})
    assert exact_ids("cor-6.6") == ["cor-6.6"] and exact_ids("cor-6.6 or thm-6.1") == ["cor-6.6", "thm-6.1"]
    assert exact_ids("cor-6.6 and not slow") == [] and exact_ids("pareto") == [] and exact_ids("") == []


def _collect(*args: str) -> tuple[list[str], list[str]]:
    """The node ids a ``pytest --collect-only`` run selects, and the warnings it raised; in-process, where the
    test modules are already imported (a subprocess would pay every import again)."""
    import pytest

    class Recorder:
        ids: list[str] = []
        warned: list[str] = []

        @pytest.hookimpl(trylast=True)
        def pytest_collection_finish(self, session: pytest.Session) -> None:
            Recorder.ids = [i.nodeid for i in session.items]

        def pytest_warning_recorded(self, warning_message, when, nodeid, location) -> None:
            Recorder.warned.append(str(warning_message.message))

    code = pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(ROOT),
                        *args], plugins=[Recorder()])
    assert code == 0
    return Recorder.ids, Recorder.warned


def test_k_claim_replays_all_of_that_claim_and_only_it() -> None:
    """`-k "cor-6.6 or thm-6.4.i"` takes every test of both claims and none of thm-6.4.ii or thm-6.4.iii, and no
    claim test is left without an id."""
    ids, warned = _collect("-k", "cor-6.6 or thm-6.4.i", str(ROOT / "proofs"),
                           str(ROOT / "tests" / "test_claim_properties.py"))
    assert not [w for w in warned if "check no claim id" in w], warned
    steps = [i for i in ids if "test_step_follows" in i]
    mutants = [i for i in ids if i.startswith("proofs/test_mutants.py::")]
    assert {i for i in ids if i not in steps and i not in mutants} >= {
        "proofs/test_certificates.py::test_claim_is_decided_with_passing_certificates[cor-6.6]",
        "proofs/test_counterexamples_sections_3_8.py::test_cor_6_6_bound_is_exceeded_with_unequal_norms",
        "tests/test_claim_properties.py::test_cor_6_6_corrected",
        "proofs/test_certificates.py::test_claim_is_decided_with_passing_certificates[thm-6.4.i]",
        "proofs/test_counterexamples_sections_3_8.py::test_opposite_signs_can_lower_the_effective_correlation",
        "tests/test_claim_properties.py::test_thm_6_4_i_corrected"}
    assert sorted(s.split("[")[1].rstrip("]") for s in steps) == ["cor-6.6", "thm-6.4.i"]
    assert mutants and all("[cor-6.6" in m or "[thm-6.4.i" in m for m in mutants)
    # Exact: nothing of the neighbours thm-6.4.ii and thm-6.4.iii (plain -k would take them as substrings).
    assert not [i for i in ids if "thm-6.4.ii" in i or "thm_6_4_ii" in i or "suppressor" in i]
    assert all(claims_in_name(i.split("::")[-1]) & {"cor-6.6", "thm-6.4.i"} or "counterexamples" in i for i in ids)


class _Item:
    """What the hook reads and writes on a pytest item."""

    def __init__(self, nodeid: str, marks: tuple[str, ...] = ()) -> None:
        self.nodeid, self.name = nodeid, nodeid.split("::")[-1]
        self.marks = marks
        self.extra_keyword_matches: set[str] = set()
        self.user_properties: list[tuple[str, str]] = []

    def iter_markers(self, name: str):
        import pytest
        return iter([pytest.mark.claim(*self.marks).mark] if self.marks and name == "claim" else [])


class _Config:
    class option:
        keyword = "cor-6.6 and not slow"   # not a bare id: pytest's own -k, which reads the keywords

    def getoption(self, name: str) -> str:
        return self.option.keyword


def test_the_hook_gives_each_item_its_claims_as_keywords() -> None:
    from proofs.claim_ids import pytest_collection_modifyitems
    items = [_Item("tests/test_claim_properties.py::test_cor_6_6_corrected"),
             _Item("proofs/test_x.py::test_tau_one_can_raise_capability", ("def-3.4.loss",)),
             _Item("tests/verify/test_socp.py::test_enclosure")]
    pytest_collection_modifyitems(_Config(), items)
    assert [i.extra_keyword_matches for i in items] == [{"cor-6.6"}, {"def-3.4.loss"}, set()]
    assert items[0].user_properties == [("claim", "cor-6.6")]


def _broken() -> tuple[Derivation, Step]:
    a = sp.Symbol("alpha")
    wrong = Step("half-angle", sp.sin(a / 2) ** 2, 1 - sp.cos(a), "half-angle formula (missing the 1/2)")
    return Derivation("thm-0.0", "a wrong step", (), (wrong,), wrong, angles=(a,)), wrong


def test_a_failed_step_says_where_its_sides_differ() -> None:
    deriv, step = _broken()
    check = deriv.check()[0]
    assert check.status is Status.FAILED
    message = step_failure("thm-0.0", deriv, check)
    assert message.startswith("thm-0.0: step 'half-angle' of thm-0.0 (half-angle formula (missing the 1/2)) does not "
                              "follow (")
    assert "at alpha = " in message and ": lhs = " in message and ", rhs = " in message and "lhs - rhs = " in message
    assert "None" not in message


def test_a_true_step_has_no_differing_point() -> None:
    a = sp.Symbol("alpha")
    right = Step("half-angle", sp.sin(a / 2) ** 2, (1 - sp.cos(a)) / 2, "half-angle formula")
    deriv = Derivation("thm-0.0", "a right step", (), (right,), right, angles=(a,))
    assert differing_point(deriv, right).startswith("no sampled point separates the sides")


def test_an_inequality_fails_where_its_order_breaks() -> None:
    x = sp.Symbol("x", positive=True)
    step = Step("too-strong", x, x**2, "x <= x^2 (false for x < 1)", op=Op.LE)
    deriv = Derivation("thm-0.0", "a wrong bound", (), (step,), step)
    message = differing_point(deriv, step)
    value = float(message.split("at x = ")[1].split(":")[0])
    assert value < 1

