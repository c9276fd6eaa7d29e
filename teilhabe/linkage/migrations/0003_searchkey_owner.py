"""SearchKey.owner (the case's organisation, denormalised) and the index (owner, key, case) that the name
search reads; the single-column key index is replaced by it (decision 0032)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_owner(apps, schema_editor):  # type: ignore[no-untyped-def]
    SearchKey = apps.get_model("linkage", "SearchKey")
    Case = apps.get_model("registry", "Case")
    owner = Case.objects.filter(pk=models.OuterRef("case_id")).values("owner_id")[:1]
    SearchKey.objects.update(owner_id=models.Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("linkage", "0002_index_existing_cases"), ("registry", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="searchkey",
            name="owner",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.organisation"
            ),
        ),
        migrations.RunPython(fill_owner, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchkey",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.organisation"
            ),
        ),
        migrations.AlterField(model_name="searchkey", name="key", field=models.CharField(max_length=80)),
        migrations.AddIndex(
            model_name="searchkey",
            index=models.Index(fields=["owner", "key", "case"], name="linkage_sk_owner_key_case"),
        ),
    ]
