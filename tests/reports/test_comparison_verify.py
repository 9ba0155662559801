"""report_verify ranks a comparison report's `inputs.spec` again: Erlang C / A staffing over
seasons and time bands, pricing, FX, monthly costs, TCO, qualification, scores, ranks,
sensitivity and the award scenarios (docs/reports.md, kind "comparison")."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.months import add_months
from demo.loader import EVENT_TITLE
from tests.support.profiles import BANDS, EMAIL, HOURLY, PEAK, SCOPED, closed_seasonal, phone
from tests.support.ranking import hand_event
from tests.support.reports import detached, rendered, verify_json
from vendors.domain.spec_data import spec_from_data, spec_to_data
from vendors.models import SourcingEvent
from vendors.ranking import event_spec, live_proposals, proposal_specs

pytestmark = pytest.mark.django_db


def attached_json(report, tmp_path) -> dict:
    """The report's inputs JSON as poppler's pdfdetach extracts it."""
    return json.loads(detached(report.file.read(), tmp_path, "_inputs.json"))


def lines_naming(output: str, figure: str, *inputs: str) -> list[str]:
    """The output's lines about `figure` that name every one of `inputs`."""
    return [
        line
        for line in output.splitlines()
        if line.startswith(figure) and all(name in line for name in inputs)
    ]


def stated_and_recomputed(line: str) -> tuple[Decimal, Decimal]:
    """The two amounts of a difference line, as numbers."""
    found = re.search(r"the report states (\S+), its inputs give (\S+) \(", line)
    assert found, line
    return Decimal(found[1]), Decimal(found[2])


def spec_proposal(document: dict, proposal_id) -> dict:
    (found,) = [p for p in document["inputs"]["spec"]["proposals"] if p["id"] == proposal_id]
    return found


def spec_channel(document: dict, channel: str) -> dict:
    (found,) = [
        c for c in document["inputs"]["spec"]["event"]["channels"] if c["channel"] == channel
    ]
    return found


def first_month(document: dict) -> str:
    return document["inputs"]["spec"]["event"]["start_date"][:7]


@pytest.fixture
def hand(make_user, auditor_user):
    """The hand-calculated event (hourly EUR, per-FTE USD, blended EUR, a disqualified bid),
    its comparison report and the proposal ids by vendor."""
    event, ids = hand_event(make_user)
    return rendered("comparison", auditor_user, event=event.pk), ids


@pytest.fixture
def seasonal(auditor_user):
    """A seasonal phone channel in three time bands with callers' patience (Erlang A): an
    hourly bid and a hybrid scoped by bands and months."""
    event = closed_seasonal([phone({"months": PEAK, "bands": BANDS}, 120), EMAIL], HOURLY, SCOPED)
    return rendered("comparison", auditor_user, event=event.pk)


# The hand-calculated event -------------------------------------------------------------------


def test_the_comparison_of_several_pricing_models_recomputes_to_match(hand, tmp_path):
    report, ids = hand
    document = attached_json(report, tmp_path)
    spec = document["inputs"]["spec"]
    assert {p["price_list"]["currency"] for p in spec["proposals"]} == {"EUR", "USD"}
    ((fx,),) = [[(f["currency"], Decimal(f["rate"])) for f in spec["event"]["fx_rates"]]]
    assert fx == ("USD", Decimal("0.90"))
    rows = {r["proposal"]: r for r in document["results"]["proposals"]}
    assert Decimal(rows[ids["Alpha"]]["tco"]) == 954000  # tests/support/ranking.py works it out
    assert rows[ids["Delta"]]["qualified"] is False and rows[ids["Delta"]]["rank"] == 4
    assert len(rows[ids["Charlie"]]["monthly_costs"]) == 24
    phone_hours = [s for s in rows[ids["Alpha"]]["staffing"] if s["channel"] == "phone"][0]
    assert Decimal(phone_hours["required_production_hours"]) == 1000
    assert phone_hours["understaffed"] is True
    matched, output = verify_json(document, tmp_path)
    assert matched and output.strip() == "match", output


def test_a_channels_volume_altered_names_every_monthly_cost_and_tco_and_the_volume(hand, tmp_path):
    report, ids = hand
    document = attached_json(report, tmp_path)
    spec_channel(document, "phone")["monthly_volume"] = 12000  # A = 5 Erlangs: 8 agents, not 5
    matched, output = verify_json(document, tmp_path)
    assert not matched
    volume = "inputs.spec.event.channels[phone].monthly_volume"
    month = first_month(document)
    for name in ("Alpha", "Bravo", "Charlie"):
        where = f"results.proposals[{ids[name]}]"
        assert lines_naming(output, f"{where}.monthly_costs[{month}]", volume), (name, output)
        assert lines_naming(output, f"{where}.tco", volume), (name, output)
    # Charlie bills per contact: 6,000 more calls at 5.10 is 30,600 more every month.
    charlie = f"results.proposals[{ids['Charlie']}].monthly_costs[{month}]"
    (line,) = lines_naming(output, charlie)
    assert stated_and_recomputed(line) == (Decimal(39570), Decimal(70170))
    # Alpha now needs 8 x 200 = 1,600 phone hours (it states 900): 600 more at 32.00.
    alpha = f"results.proposals[{ids['Alpha']}]"
    (line,) = lines_naming(output, f"{alpha}.monthly_costs[{month}]")
    assert stated_and_recomputed(line) == (Decimal(39000), Decimal(58200))
    (line,) = lines_naming(
        output, f"{alpha}.staffing[{month[5:].lstrip('0')}][phone].production_hours"
    )
    assert stated_and_recomputed(line) == (Decimal(1000), Decimal(1600))


def test_a_proposals_rate_altered_names_its_costs_its_rank_and_its_price_list(hand, tmp_path):
    report, ids = hand
    document = attached_json(report, tmp_path)
    alpha = spec_proposal(document, ids["Alpha"])
    (phone_price,) = [p for p in alpha["price_list"]["channel_prices"] if p["channel"] == "phone"]
    phone_price["rate"] = "60.00"  # 28 more on 1,000 hours a month for 24 months: TCO 1,626,000
    matched, output = verify_json(document, tmp_path)
    assert not matched
    where = f"results.proposals[{ids['Alpha']}]"
    price_list = f"inputs.spec.proposals[{ids['Alpha']}].price_list"
    assert lines_naming(output, f"{where}.monthly_costs[{first_month(document)}]", price_list)
    (tco,) = lines_naming(output, f"{where}.tco", price_list)
    assert "its inputs give 1626000.00" in tco
    # Alpha's total falls below Bravo's: the ranks change, and so does the first-ranked scenario.
    assert f"{where}.rank: the report states 1, its inputs give 2" in output
    bravo = f"results.proposals[{ids['Bravo']}].rank: the report states 2, its inputs give 1"
    assert bravo in output
    assert lines_naming(output, "results.scenarios[first_ranked].tco")


def test_an_fx_rate_altered_names_the_costs_of_the_bid_in_that_currency_only(hand, tmp_path):
    report, ids = hand
    document = attached_json(report, tmp_path)
    document["inputs"]["spec"]["event"]["fx_rates"][0]["rate"] = "1.00"
    matched, output = verify_json(document, tmp_path)
    assert not matched
    fx = "inputs.spec.event.fx_rates[USD]"
    bravo = f"results.proposals[{ids['Bravo']}]"
    # Bravo's 48,000 USD minimum a month is now 48,000 EUR instead of 43,200.
    (month,) = lines_naming(output, f"{bravo}.monthly_costs[{first_month(document)}]", fx)
    assert stated_and_recomputed(month) == (Decimal(43200), Decimal(48000))
    assert lines_naming(output, f"{bravo}.tco", fx)
    assert not lines_naming(output, f"results.proposals[{ids['Alpha']}].monthly_costs")


def test_a_scenarios_tco_altered_in_the_results_is_named(hand, tmp_path):
    report, _ = hand
    document = attached_json(report, tmp_path)
    (cheapest,) = [s for s in document["results"]["scenarios"] if s["name"] == "cheapest_split"]
    stated = Decimal(cheapest["tco"])
    cheapest["tco"] = str(stated - 1000)
    matched, output = verify_json(document, tmp_path)
    assert not matched
    (line,) = lines_naming(output, "results.scenarios[cheapest_split].tco", "inputs.spec.proposals")
    assert f"its inputs give {stated}" in line
    assert len(output.strip().splitlines()) == 2  # the one line and the count


def test_a_document_without_the_spec_is_verified_from_its_score_inputs_as_before(hand, tmp_path):
    report, ids = hand
    document = attached_json(report, tmp_path)
    del document["inputs"]["spec"]
    assert verify_json(document, tmp_path) == (True, "match\n")
    proposal = next(p for p in document["inputs"]["proposals"] if p["proposal"] == ids["Alpha"])
    proposal["monthly_costs"][0] = str(Decimal(proposal["monthly_costs"][0]) + 1000)
    matched, output = verify_json(document, tmp_path)
    assert not matched and f"inputs.proposals[{ids['Alpha']}].tco" in output
    assert "inputs.spec" not in output


# Seasons, time bands and Erlang A ------------------------------------------------------------


def test_a_seasonal_banded_erlang_a_comparison_recomputes_to_match(seasonal, tmp_path):
    document = attached_json(seasonal, tmp_path)
    phone_need = spec_channel(document, "phone")
    assert phone_need["patience_seconds"] == 120
    assert [Decimal(f) for f in phone_need["profile"]["months"]] == [Decimal(f) for f in PEAK]
    assert len(phone_need["profile"]["bands"]) == 3
    costs = document["results"]["proposals"][0]["monthly_costs"]
    assert len(set(costs)) > 1  # the peak months cost more
    matched, output = verify_json(document, tmp_path)
    assert matched and output.strip() == "match", output


def test_a_patience_altered_names_the_hourly_bids_costs_and_the_patience(seasonal, tmp_path):
    document = attached_json(seasonal, tmp_path)
    spec_channel(document, "phone")["patience_seconds"] = 20  # impatient callers: fewer agents
    matched, output = verify_json(document, tmp_path)
    assert not matched
    patience = "inputs.spec.event.channels[phone].patience_seconds"
    hourly = next(
        p["id"]
        for p in document["inputs"]["spec"]["proposals"]
        if p["price_list"]["channel_prices"][0]["model"] == "per_production_hour"
    )
    where = f"results.proposals[{hourly}]"
    assert lines_naming(output, f"{where}.monthly_costs[", patience), output
    assert lines_naming(output, f"{where}.tco", patience), output
    assert lines_naming(output, f"{where}.staffing[", patience), output


def test_a_season_factor_altered_names_that_months_cost_and_the_profile(seasonal, tmp_path):
    document = attached_json(seasonal, tmp_path)
    factors = spec_channel(document, "phone")["profile"]["months"]
    factors[10] = "2.0"  # a busier November (the auditor's what-if; the sum is not checked)
    matched, output = verify_json(document, tmp_path)
    assert not matched
    start = date.fromisoformat(document["inputs"]["spec"]["event"]["start_date"]).replace(day=1)
    november = next(
        f"{add_months(start, n):%Y-%m}" for n in range(12) if add_months(start, n).month == 11
    )
    profile = "inputs.spec.event.channels[phone].profile"
    for row in document["results"]["proposals"]:
        where = f"results.proposals[{row['proposal']}]"
        assert lines_naming(output, f"{where}.monthly_costs[{november}]", profile), output
        assert lines_naming(output, f"{where}.tco", profile), output
    # Only November changes: no other month of the term is named.
    named = {
        line.split("monthly_costs[")[1][:7]
        for line in output.splitlines()
        if "monthly_costs[" in line
    }
    assert named == {november}


# The spec as data ----------------------------------------------------------------------------


def _specs(event):
    return event_spec(event), proposal_specs(event, list(live_proposals(event)))


def test_the_demo_events_spec_round_trips_through_its_data(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    spec, proposals = _specs(event)
    assert proposals and any(not c.profile.flat for c in spec.channels)
    data = spec_to_data(event=spec, proposals=proposals)
    written = json.loads(json.dumps(data))  # JSON-able as it is
    again_spec, again_proposals = spec_from_data(written)
    assert spec_to_data(event=again_spec, proposals=again_proposals) == data
    assert (again_spec, again_proposals) == (spec, proposals)


def test_the_orm_specs_equal_their_data_read_back_for_a_seasonal_erlang_a_event(seasonal):
    event = SourcingEvent.objects.get(pk=seasonal.parameters["event"])
    spec, proposals = _specs(event)
    assert spec.channels[0].patience_seconds == 120 and spec.channels[0].profile.bands
    data = json.loads(json.dumps(spec_to_data(event=spec, proposals=proposals)))
    assert spec_from_data(data) == (spec, proposals)
