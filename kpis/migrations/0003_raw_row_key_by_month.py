"""KpiRawRow's primary key becomes (contract, period, upload, row), its one index.

The raw rows were keyed by (upload, row) with a second index on (contract, period) for the
only query that reads them, the recomputation of a contract month (kpis.ingest._recompute).
One key that serves that query halves the index work of writing a million rows. A row number
belongs to one line of its upload, so (upload, row) stays unique within the new key.

Django does not alter a composite primary key itself (AlterField leaves the table as it was),
so the database side is written here: an ALTER on PostgreSQL, a rebuilt table on SQLite.
"""

from django.db import migrations, models

_SQLITE_TABLE = (
    'CREATE TABLE "kpis_kpirawrow_new" ("row" integer unsigned NOT NULL CHECK ("row" >= 0), '
    '"period" date NOT NULL, "day" smallint unsigned NULL CHECK ("day" >= 0), '
    '"channel" varchar(20) NOT NULL, "metric" varchar(40) NOT NULL, "value" decimal NOT NULL, '
    '"volume" decimal NULL, "raw" text NOT NULL CHECK ((JSON_VALID("raw") OR "raw" IS NULL)), '
    '"contract_id" bigint NOT NULL, "upload_id" bigint NOT NULL, '
    "PRIMARY KEY ({key}))"
)
_COLUMNS = '"row", "period", "day", "channel", "metric", "value", "volume", "raw", "contract_id", "upload_id"'
_MONTH_INDEX = 'CREATE INDEX "kpi_raw_row_month" ON "kpis_kpirawrow" ("contract_id", "period")'
_NEW_KEY, _OLD_KEY = '"contract_id", "period", "upload_id", "row"', '"upload_id", "row"'


def _postgresql(key: str) -> list[str]:
    return [
        "ALTER TABLE kpis_kpirawrow DROP CONSTRAINT kpis_kpirawrow_pkey",
        f"ALTER TABLE kpis_kpirawrow ADD CONSTRAINT kpis_kpirawrow_pkey PRIMARY KEY ({key})",
    ]


def _sqlite(key: str) -> list[str]:
    return [
        _SQLITE_TABLE.format(key=key),
        f"INSERT INTO kpis_kpirawrow_new ({_COLUMNS}) SELECT {_COLUMNS} FROM kpis_kpirawrow",
        "DROP TABLE kpis_kpirawrow",
        "ALTER TABLE kpis_kpirawrow_new RENAME TO kpis_kpirawrow",
    ]


_FORWARD = {
    "postgresql": [*_postgresql(_NEW_KEY), 'DROP INDEX "kpi_raw_row_month"'],
    "sqlite": _sqlite(_NEW_KEY),  # the old table and its index go
}
_BACKWARD = {
    "postgresql": [*_postgresql(_OLD_KEY), _MONTH_INDEX],
    "sqlite": [*_sqlite(_OLD_KEY), _MONTH_INDEX],
}


def _run(statements: dict[str, list[str]], schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"No migration of KpiRawRow's key for {vendor}")
    for statement in statements[vendor]:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(_FORWARD, schema_editor)


def backwards(apps, schema_editor):
    _run(_BACKWARD, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0002_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="kpirawrow", name="kpi_raw_row_month"),
                migrations.AlterField(
                    model_name="kpirawrow",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "contract",
                        "period",
                        "upload",
                        "row",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),  # fmt: skip
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        ),
    ]
