"""Small derivations shared by the rule tests: a chain of given steps under given hypotheses."""
from __future__ import annotations

from derive.core import Derivation, Status, Step, check_step


def deriv(*steps: Step, **kw) -> Derivation:
    """The chain ``steps`` (the last is the result) under the hypotheses in ``kw``."""
    return Derivation("test", "test", (), steps[:-1], steps[-1], **kw)


def status(step: Step, **kw) -> Status:
    """The status of ``step`` checked alone, under the hypotheses in ``kw``."""
    return check_step(step, deriv(step, **kw)).status
