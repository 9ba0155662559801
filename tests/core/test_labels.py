"""Human words for every code and units with every measure (core.labels, core.measures, the
display filters), in English and in Dutch (decimal comma)."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from core import formatting
from core.labels import label_of, readable
from core.measures import bound, direction_name, measure, unit_name


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load display %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("code", "label"),
    [("per_production_hour", "per production hour"), ("per_fte_month", "per FTE month"),
     ("per_contact", "per contact"), ("project_management", "project management"),
     ("backoffice", "Back office"), ("abandonment_rate", "Abandonment rate"),
     ("below_expected_4_of_12",
      "below expected (warning or breach) in 4 or more of the last 12 months"),
     ("procurement", "Procurement")],
)  # fmt: skip
def test_a_code_reads_as_its_label(code, label):
    assert label_of(code) == label
    assert render("{{ code|label }}", "en", code=code) == label


def test_an_unknown_code_is_shown_as_it_is_and_none_as_nothing():
    assert label_of("something_new") == "something_new"
    assert label_of(None) == "" and label_of("") == ""


def test_a_lower_is_better_target_is_a_maximum_with_its_unit():
    assert bound("abandonment_rate", "8", language="en") == "max 8%"
    assert bound("asa_seconds", "30", language="en") == "max 30 seconds"
    assert direction_name("abandonment_rate") == "maximum"
    assert bound("abandonment_rate", "8") != "min 8"


def test_a_higher_is_better_target_is_a_minimum_with_its_unit():
    assert bound("service_level", "80.5", language="en") == "min 80.5%"
    assert bound("service_level", "80.5", language="nl") == "min. 80,5%"
    assert direction_name("service_level") == "minimum"


def test_each_unit_is_shown_with_its_value():
    assert measure("asa_seconds", "1", language="en") == "1 second"
    assert measure("email_response_hours", "18.5", language="nl") == "18,5 uur"
    assert measure("contacts_handled", "12034", language="en") == "12,034"
    assert measure("contacts_handled", "12034", language="nl") == "12.034"
    assert measure("nps", "12", language="en") == "score 12"
    assert unit_name("asa_seconds") == "seconds" and unit_name("nps") == "score"
    assert measure("service_level", None) == ""


def test_a_month_is_named_in_the_readers_language():
    assert formatting.month("2026-03", language="en") == "March 2026"
    assert formatting.month(date(2026, 3, 1), language="nl") == "maart 2026"
    assert render("{{ m|month }}", "nl", m="2026-03") == "maart 2026"
    assert formatting.month("not a month") == "not a month"


def test_the_filters_show_targets_and_money_as_people_write_them():
    source = "{{ t|bound:'abandonment_rate' }} · {{ a|money:'EUR' }} · {{ s|fraction_pct }}"
    assert render(source, "en", t="8", a="1486572.80", s="0.55") == "max 8% · €1,486,572.80 · 55%"
    dutch = render(source, "nl", t="8", a="1486572.80", s="0.55")
    assert dutch == "max. 8% · €\xa01.486.572,80 · 55%"


def test_a_json_value_reads_as_field_value_lines():
    text = readable({"setup": "60000.00", "project_management": "25000.00"})
    assert text.splitlines() == ["Setup: 60,000", "Project management: 25,000"]
    rows = readable([{"tag": "nl", "share": "0.5500"}])
    assert rows == "Language tag: nl, Share: 55%" and "{" not in rows


def test_the_sourcing_filters_delegate_to_the_one_formatting_rule():
    source = "{% load sourcing %}{{ n|number }} {{ r|rate }} {{ p|percent }}"
    with translation.override("nl"):
        text = Template(source).render(Context({"n": "1234.5000", "r": "4", "p": "0.8"}))
    assert text == "1.234,5 4,00 80%"
