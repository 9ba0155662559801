"""The comparison report prints and attaches the award scenarios (hand figures: see
tests/vendors/test_scenarios_api.py): Alpha alone 954,000; cheapest split 931,600."""

import json
import subprocess

import pytest

from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.ranking import hand_event

pytestmark = pytest.mark.django_db


def test_the_comparison_report_prints_and_attaches_the_scenarios(make_user, tmp_path):
    event, ids = hand_event(make_user)
    report = report_request(
        kind="comparison", parameters={"event": event.pk}, user=make_user("auditor")
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    path = tmp_path / "report.pdf"
    path.write_bytes(report.file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Award scenarios" in text and "Cheapest split" in text
    for figure in ("€954,000.00", "€931,600.00", "€745,600.00", "€186,000.00", "-€22,400.00"):
        assert figure in text
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(path)], check=True)
    (attached,) = tmp_path.glob("*.json")
    scenarios = json.loads(attached.read_text())["results"]["scenarios"]
    cheapest = next(s for s in scenarios if s["name"] == "cheapest_split")
    assert cheapest["assignments"] == [
        {"channel": "phone", "proposal": ids["Charlie"]},
        {"channel": "email", "proposal": ids["Alpha"]},
    ]
    assert [c["channels"] for c in cheapest["contracts"]] == [["phone"], ["email"]]
