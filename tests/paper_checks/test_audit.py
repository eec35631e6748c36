"""paper_checks.audit.judge: what it refuses to judge."""
from __future__ import annotations

from dataclasses import replace

import pytest

from paper_checks.audit import judge
from paper_checks.finding import AuditConfig, Verdict
from paper_checks.registry import by_id


@pytest.mark.claim("thm-4.1")
def test_a_claim_with_content_but_no_statement_is_refused_not_judged() -> None:
    """Only a prediction may lack a formal statement (it is not-checkable); a theorem without one has nothing the rule
    can judge, and is refused with a message naming it rather than given a verdict by another rule."""
    with pytest.raises(ValueError, match=r"claim='thm-4.1' is a theorem without a formal statement"):
        judge(replace(by_id("thm-4.1"), statement=None), AuditConfig())


@pytest.mark.claim("pred-2")
def test_a_prediction_without_a_statement_is_not_checkable() -> None:
    assert judge(by_id("pred-2"), AuditConfig()).verdict is Verdict.NOT_CHECKABLE
