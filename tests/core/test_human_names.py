"""Models, fields, stored JSON keys and history record types have human names that a catalog can
translate (docs/i18n.md, "Models"): no page falls back to Django's names made from the code."""

import pytest
from django.apps import apps
from django.template import engines
from django.utils.functional import Promise
from django.utils.translation import override

from core.history import HistoryKind, history_kind_label
from core.labels import readable
from tests.support.pseudo import pseudo_locale

OUR_APPS = ("accounts", "vendors", "contracts", "kpis", "reports", "outbox")


def our_models():
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


@pytest.mark.parametrize("model", list(our_models()), ids=lambda m: m._meta.label)
def test_every_model_names_itself_and_its_fields_for_translation(model):
    assert isinstance(model._meta.verbose_name, Promise)
    assert isinstance(model._meta.verbose_name_plural, Promise)
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    unnamed = [
        f.name
        for f in fields
        if not f.auto_created and f.name != "pk" and not isinstance(f.verbose_name, Promise)
    ]
    assert unnamed == []


def test_a_field_keeps_its_capitals_and_units():
    from contracts.models import Baseline, SlaTarget
    from vendors.models import SourcingEvent

    with override("en"):
        assert str(SourcingEvent._meta.get_field("bid_deadline").verbose_name) == "bid deadline"
        assert str(SourcingEvent._meta.get_field("term_months").verbose_name) == "term (months)"
        assert str(Baseline._meta.get_field("ict_per_fte").verbose_name) == "ICT per FTE"
        assert str(SlaTarget._meta.verbose_name_plural) == "SLA targets"


@pytest.mark.parametrize(
    ("sign", "word"), [("+", "Created"), ("~", "Changed"), ("-", "Deleted"), ("?", "?")]
)
def test_a_history_record_type_reads_as_a_word(sign, word):
    with override("en"):
        assert history_kind_label(sign) == word


def test_history_record_types_are_translated_by_our_catalog():
    with pseudo_locale():
        assert [str(kind.label) for kind in HistoryKind] == ["⟦Created⟧", "⟦Changed⟧", "⟦Deleted⟧"]
        page = engines["django"].from_string("{% load marked %}{{ sign|history_kind }}")
        assert page.render({"sign": "~"}) == "⟦Changed⟧"


def test_the_keys_of_a_pricing_line_read_as_names():
    line = {"channel": "phone", "model": "per_contact", "rate": "4.50", "stated_fte": None}
    with override("en"):
        assert readable(line) == (
            "Channel: Phone\nPricing model: per contact\nRate: 4.5\nStated FTE: —"
        )
