"""Build the search keys of cases that existed before the linkage app (later saves keep them current)."""

from django.db import migrations


def index_cases(apps, schema_editor):  # type: ignore[no-untyped-def]
    from teilhabe.linkage.keys import keyed_hash
    from teilhabe.lib.names import name_keys
    from teilhabe.registry.crypto import decrypt_text

    Case = apps.get_model("registry", "Case")
    SearchKey = apps.get_model("linkage", "SearchKey")
    PersonKey = apps.get_model("linkage", "PersonKey")
    batch = []
    for case in Case.objects.all().iterator():
        keys = name_keys(case.family_name, case.given_names).keys()
        keys |= name_keys(case.family_name_latin, case.given_names_latin).keys()
        if case.azr_number_enc:
            try:
                azr = decrypt_text(case.azr_number_enc)
            except Exception:  # noqa: BLE001 - an unreadable value is simply not indexed
                azr = ""
            if azr:
                keys.add(f"a:{keyed_hash(azr)}")
        batch.extend(SearchKey(case_id=case.pk, key=key[:80]) for key in keys if len(key) > 2)
        PersonKey.objects.get_or_create(case_id=case.pk)
        if len(batch) > 5000:
            SearchKey.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SearchKey.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("linkage", "0001_initial"), ("registry", "0001_initial")]

    operations = [migrations.RunPython(index_cases, migrations.RunPython.noop)]
