"""The comparison CSV a Dutch buyer downloads opens as columns in a Dutch spreadsheet: a BOM, `;`
between cells, a decimal comma in money and no thousands grouping."""

import csv
import io

import pytest

from tests.support.language import read_in
from tests.support.ranking import hand_event

pytestmark = pytest.mark.django_db


def test_a_dutch_buyers_comparison_csv_opens_as_columns_with_decimal_commas(
    client, procurement_user, make_user
):
    event, _ = hand_event(make_user)
    client.force_login(procurement_user)
    read_in(client, "nl")
    response = client.get(f"/events/{event.pk}/comparison/export.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    assert all(len(row) == len(header) for row in rows)
    assert len(header) > 20 and "," not in "".join(header[:3])
    alpha = dict(zip(header, rows[0], strict=True))
    assert alpha["TCO (EUR)"] == "954000,00"  # DOMAIN's hand calculation, decimal comma
    assert alpha["Monthly cost (EUR)"] == "39000,00"
    assert alpha["Total"] == "90,19"


def test_the_dutch_csv_has_as_many_columns_as_the_english_one(client, procurement_user, make_user):
    event, _ = hand_event(make_user)
    client.force_login(procurement_user)
    url = f"/events/{event.pk}/comparison/export.csv"
    counts = {}
    for code, delimiter in (("en", ","), ("nl", ";")):
        read_in(client, code)
        text = client.get(url).content.decode("utf-8-sig")
        counts[code] = {len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)}
    assert counts["nl"] == counts["en"] and len(counts["nl"]) == 1
    assert counts["nl"].pop() > 20
