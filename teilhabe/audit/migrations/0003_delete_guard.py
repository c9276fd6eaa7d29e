"""DELETE of audit events is refused on both databases, except for rows a retention gate covers (DP-31).

SQLite: a BEFORE DELETE trigger next to the UPDATE trigger of 0002. PostgreSQL: the row trigger of 0002
already fires on DELETE; its function now lets a DELETE through only when ``audit_retentiongate`` holds a
row whose ``before`` is later than the event (the retention command's transaction). TRUNCATE by the table
owner stays possible (test flush); production runs with a role that owns no tables.
"""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM audit_retentiongate g WHERE OLD.created_at < g.before)
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_no_delete"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND EXISTS (
           SELECT 1 FROM audit_retentiongate g WHERE OLD.created_at < g.before
         ) THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END; $$ LANGUAGE plpgsql""",
]
POSTGRES_REVERSE = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
]


def forwards(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [
        migrations.CreateModel(
            name="RetentionGate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("before", models.DateTimeField()),
            ],
            options={"verbose_name": "Aufbewahrungsfreigabe", "verbose_name_plural": "Aufbewahrungsfreigaben"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
