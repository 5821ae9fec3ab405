"""The bulk reads of the ledger: the histories of many findings in one read agree with each one's."""

from __future__ import annotations

from datetime import timedelta

from graph.ledger import LedgerBase
from tests.ledger.conftest import AT


def test_histories_of_many_findings_are_each_ones_history(ledger: LedgerBase) -> None:
    findings = [f"gap:UNHELD_DUTY:article:{number}" for number in range(3)]
    for minutes, status in enumerate(("CONFIRMED", "RECTIFYING", "OPEN", "CONFIRMED")):
        finding = findings[minutes % 2]
        ledger.review(finding, status, role="staffing", reviewer="王芳", at=AT + timedelta(minutes=minutes))
    found = ledger.histories([*findings, findings[0]])
    assert found == {
        finding: ledger.history(finding) for finding in findings[:2]
    }  # the third: never reviewed
    assert [review.status for review in found[findings[0]]] == ["CONFIRMED", "OPEN"]
    assert ledger.histories([]) == {}
