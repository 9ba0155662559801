"""The API request body of a direct contract, shared by the contract API and page tests."""


def payload(vendor, **overrides):
    body = {
        "reference": "ACME-NL-01",
        "vendor": vendor.pk,
        "currency": "EUR",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "pricing": [
            {"channel": "phone", "model": "per_production_hour", "rate": "35.00"},
            {"channel": None, "model": "per_contact", "rate": "4.50"},
        ],
        "one_off_fees": {"setup": "15000.00", "training": "8000.00", "project_management": "0"},
        "monthly_fees": [{"name": "Account management", "amount": "1500.00"}],
        "minimum_monthly_charge": "20000.00",
        "at_risk_percent": "12",
        "retained_management_monthly": "2500.00",
        "sla_targets": [
            {"metric": "service_level", "channel": "phone", "expected": "80", "minimum": "75",
             "critical": True, "allocation_percent": "30"},
            {"metric": "asa_seconds", "channel": "phone", "expected": "20", "minimum": "30",
             "critical": True, "allocation_percent": "25"},
            {"metric": "csat", "channel": None, "expected": "85", "minimum": "80",
             "critical": False, "allocation_percent": "0"},
        ],
        # Hand calculation (contracts/baseline.py's rule):
        #   paid FTE = 10 / (1 - 0.20) = 12.5
        #   per-FTE cost = 3,000 x 1.25 + 300 + 150 + 100 = 4,300
        #   monthly = 12.5 x 4,300 + 5,000 + 1,000 = 59,750.00
        "baseline": {
            "fte": "10", "gross_salary": "3000", "employer_oncost_percent": "25",
            "facilities_per_fte": "300", "ict_per_fte": "150",
            "recruitment_training_per_fte": "100", "management_overhead": "5000",
            "depreciation": "1000", "absenteeism_percent": "20",
            "kpis": {"service_level": "72.5", "csat": "78"},
        },
    }  # fmt: skip
    body.update(overrides)
    return body
