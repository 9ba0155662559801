"""Pages as a browser posts them: the event and proposal forms, formset management, a GET."""

from datetime import timedelta

from django.utils import timezone

from tests.support.vendors import (
    COMPONENT_RATE,
    MINIMUM,
    MONTHLY_FEE,
    PM_FEE,
    RATE,
    SETUP_FEE,
    STATED_HOURS,
    TRAINING_FEE,
)


def management(prefix: str, rows: int) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(rows), f"{prefix}-INITIAL_FORMS": "0"}


def event_form(*invited, **overrides) -> dict:
    """The event form as a browser posts it: the factories' event, in form fields."""
    now = timezone.localtime()
    data = {
        "title": "Customer service NL/EN 2027",
        "currency": "eur",
        "term_months": "24",
        "start_date": (now.date() + timedelta(days=60)).isoformat(),
        "bid_deadline": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "industry": "e-commerce",
        "shrinkage": "0.30",
        "max_occupancy": "0.85",
        "fte_hours": "160",
        "w-cost": "40", "w-expertise": "25", "w-security": "20", "w-language": "15",
        **management("chan", 3),
        "chan-0-channel": "phone", "chan-0-monthly_volume": "12000", "chan-0-aht_seconds": "330",
        "chan-0-sl_percent": "80", "chan-0-sl_seconds": "20", "chan-0-opening_hours": "260",
        "chan-1-channel": "email", "chan-1-monthly_volume": "8000", "chan-1-aht_seconds": "480",
        **management("season", 1), **management("band", 3),
        **management("lang", 3),
        "lang-0-tag": "nl", "lang-0-share": "0.6", "lang-1-tag": "en", "lang-1-share": "0.4",
        **management("cert", 3),
        "cert-0-name": "GDPR DPA", "cert-0-kind": "must",
        "cert-1-name": "ISO 27001", "cert-1-kind": "desired", "cert-1-points": "40",
        **management("fx", 2),
        "fx-0-currency": "usd", "fx-0-rate": "0.92",
        "invited_vendors": [v.pk for v in invited],
    }  # fmt: skip
    data.update(overrides)
    return data


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def proposal_form(**overrides) -> dict:
    """The portal's proposal form as a browser posts it, with the factories' secret amounts."""
    data = {
        "currency": "EUR",
        "minimum_monthly_charge": MINIMUM,
        "oneoff-setup": SETUP_FEE, "oneoff-training": TRAINING_FEE,
        "oneoff-project_management": PM_FEE,
        **management("price", 3),
        "price-0-channel": "phone", "price-0-model": "per_production_hour",
        "price-0-rate": RATE, "price-0-stated_hours": STATED_HOURS,
        "price-1-channel": "", "price-1-model": "hybrid",
        "price-1-c1_model": "per_contact", "price-1-c1_rate": COMPONENT_RATE,
        "price-1-c1_share": "0.5",
        "price-1-c2_model": "per_handled_minute", "price-1-c2_rate": "0.82",
        "price-1-c2_share": "0.5",
        **management("fee", 2),
        "fee-0-name": "Account management", "fee-0-amount": MONTHLY_FEE,
        **management("lang", 3),
        "lang-0-tag": "nl", "lang-0-level": "native", "lang-0-hours_coverage": "1",
        "lang-1-tag": "en-gb", "lang-1-level": "C1", "lang-1-hours_coverage": "0.75",
        "lang-2-hours_coverage": "1",
    }  # fmt: skip
    data.update(overrides)
    return data
