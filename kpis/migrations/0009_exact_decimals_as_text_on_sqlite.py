"""On SQLite, rebuild the tables that hold exact decimals so that their columns are text
(kpis.models.uploads.ExactDecimalField): a database made before kept them as numeric, where
SQLite rounds to a double's 15 digits. Existing figures keep what SQLite had kept. Nothing to
do on PostgreSQL, whose numeric columns are exact already."""

from django.db import migrations


def _rebuild_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for model in apps.get_app_config("kpis").get_models():
        if any(f.get_internal_type() == "ExactDecimalField" for f in model._meta.local_fields):
            schema_editor._remake_table(model)


class Migration(migrations.Migration):
    dependencies = [("kpis", "0008_waiver_reevaluation_job")]

    operations = [migrations.RunPython(_rebuild_on_sqlite, migrations.RunPython.noop)]
