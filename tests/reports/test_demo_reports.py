"""The four kinds rendered from the demo (load_demo): each PDF recomputes to "match" with
report_verify, prints its inputs and no "None" or long decimals (docs/reports.md)."""

import io
import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from contracts.models import Contract
from demo import contract_story
from demo.loader import EVENT_TITLE
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.reports import attached_inputs, pdf_text, verify_json
from vendors.models import SourcingEvent

pytestmark = pytest.mark.django_db


def rendered(kind: str, language: str | None = None, **parameters) -> Report:
    auditor = get_user_model().objects.get(username="auditor")
    report = report_request(kind=kind, parameters=parameters, user=auditor, language=language)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def demo_parameters() -> dict[str, dict]:
    """Load the demo; each kind's parameters over its story (the contract's first year, July
    2026, the 2027 event, the vendor's first year)."""
    call_command("load_demo", stdout=io.StringIO())
    contract = Contract.objects.get(reference=contract_story.REFERENCE)
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    return {
        "roi": {"contract": contract.pk, "from": "2025-11", "to": "2026-10"},
        "sla": {"contract": contract.pk, "period": "2026-07"},
        "comparison": {"event": event.pk},
        "scorecard": {"vendor": contract.vendor_id, "from": "2025-11", "to": "2026-10"},
    }


def test_every_kind_of_the_demo_recomputes_from_its_pdf_alone(tmp_path):
    reports = {kind: rendered(kind, **given) for kind, given in demo_parameters().items()}
    texts = {}
    for kind, report in reports.items():
        data = report.file.read()
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(data)
        out = io.StringIO()
        call_command("report_verify", str(path), stdout=out)
        assert out.getvalue().strip() == "match", (kind, out.getvalue())
        text = texts[kind] = pdf_text(data)
        assert "None" not in text, kind
        assert not re.search(r"\d\.\d{5,}", text), (kind, re.findall(r"\S*\d\.\d{5,}\S*", text))
    for kind, text in texts.items():  # ids only with their names
        assert not re.search(r"\b(contract|event|vendor) = \d", text), kind
    scorecard = " ".join(texts["scorecard"].split())
    assert "Vendor: Northwind" in scorecard and "NWC-NL-01" in scorecard
    assert "Track-record score" in scorecard and "= 100 x (" in scorecard
    sla = " ".join(texts["sla"].split())
    assert "Usage read: " in sla and "contacts handled" in sla and "handled_minutes" not in sla
    roi = " ".join(texts["roi"].split())
    # The baseline's inputs (32 FTE, 3,100 gross, 8 % absence) and "FTE x gross salary".
    assert "32 x 3,100 99,200.00" in roi
    assert "= 34.78" in roi and "8%" in roi
    assert reports["roi"].file.name.endswith(
        f"NWC-NL-01_ROI_2025-11_2026-10_r{reports['roi'].pk}.pdf"
    )


def _target(targets: list[dict], metric: str) -> dict:
    (found,) = [t for t in targets if t["metric"] == metric]
    return found


def _sla(d: dict) -> None:
    _target(d["inputs"]["targets"], "service_level")["actual"] = "81.0"  # was a breach


def _roi(d: dict) -> None:
    d["inputs"]["baseline"]["parts"]["fte"] = "33"


def _comparison(d: dict) -> None:
    d["inputs"]["proposals"][0]["expertise"]["industry_years"] = "1"


def _scorecard(d: dict) -> None:
    (contract,) = d["inputs"]["contracts"]
    (may,) = [m for m in contract["months"] if m["period"] == "2026-05"]
    _target(may["targets"], "service_level")["actual"] = "90"  # was a breach


# kind -> (alter one input, a figure the difference must name, the input it must name)
ALTERATIONS: dict[str, tuple[Callable[[dict], None], str, str]] = {
    "roi": (_roi, "results.baseline", "inputs.baseline.parts"),
    "sla": (_sla, ".status", "inputs.targets["),
    "comparison": (_comparison, ".scores.expertise", ".expertise"),
    "scorecard": (_scorecard, "months[2026-05]", "inputs.contracts[NWC-NL-01].months[2026-05]"),
}


def test_the_demo_s_reports_verify_from_the_json_pdfdetach_extracts_and_name_an_altered_input(
    tmp_path,
):
    """DOMAIN.md's auditor: extract the JSON with poppler, recompute it alone ("match"), then
    change one input and read which figure no longer follows and from which inputs."""
    parameters = demo_parameters()
    for kind, (alter, figure, source) in ALTERATIONS.items():
        report = rendered(kind, **parameters[kind])
        (tmp_path / kind).mkdir()
        document = attached_inputs(report.file.read(), tmp_path / kind)
        assert document["report"]["kind"] == kind
        ok, output = verify_json(document, tmp_path / f"{kind}.json")
        assert ok and output.strip() == "match", (kind, output)
        alter(document)
        ok, output = verify_json(document, tmp_path / f"{kind}-altered.json")
        assert not ok, (kind, output)
        named = [line for line in output.splitlines() if figure in line and source in line]
        assert named, (kind, output)


def test_the_demo_s_reports_in_romanian_read_in_romanian_to_the_page_s_edge(tmp_path):
    """Every page of the four kinds in Romanian: the page furniture, months and numbers are
    Romanian, no "None", no more than four decimals (decimal comma), and each still recomputes
    to "match" (the attached data does not change with the language)."""
    parameters = demo_parameters()
    for kind, given in parameters.items():
        report = rendered(kind, language="ro", **given)
        assert report.language == "ro"
        data = report.file.read()
        text = " ".join(pdf_text(data).split())
        pages = text.count("pagina ")
        assert pages >= 3 and f"din {pages}" in text, (kind, pages)
        assert "Raportul nr. " in text and "Report #" not in text, kind
        assert not re.search(r"\bpage \d", text), kind
        assert "None" not in text, kind
        assert not re.search(r"\d[.,]\d{5,}", text), (kind, re.findall(r"\S*\d[.,]\d{5,}\S*", text))
        path = tmp_path / f"ro-{kind}.pdf"
        path.write_bytes(data)
        out = io.StringIO()
        call_command("report_verify", str(path), stdout=out)
        assert out.getvalue().strip() == "match", (kind, out.getvalue())
        if kind in ("roi", "scorecard"):
            assert "de la noiembrie 2025 la octombrie 2026" in text, kind  # the title's months
