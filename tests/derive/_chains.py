"""Small derivations shared by the rule tests: a chain of given steps under given hypotheses."""
from __future__ import annotations

import dataclasses

from derive.core import Derivation, Status, Step, check_step


def deriv(*steps: Step, **kw) -> Derivation:
    """The chain ``steps`` (the last is the result) under the hypotheses in ``kw``."""
    return Derivation("test", "test", (), steps[:-1], steps[-1], **kw)


def status(step: Step, **kw) -> Status:
    """The status of ``step`` checked alone, under the hypotheses in ``kw``."""
    return check_step(step, deriv(step, **kw)).status


def with_step(d: Derivation, name: str, **changes) -> Derivation:
    """``d`` with the step ``name`` changed (the result too, when it is that step): a false twin of its chain."""
    if d.result.name == name:
        return dataclasses.replace(d, result=dataclasses.replace(d.result, **changes))
    steps = tuple(dataclasses.replace(s, **changes) if s.name == name else s for s in d.steps)
    return dataclasses.replace(d, steps=steps)


def step_status(d: Derivation, name: str) -> Status:
    """The status of the step ``name`` checked as a link of ``d``'s chain."""
    return next(c.status for c in d.check() if c.step.name == name)
