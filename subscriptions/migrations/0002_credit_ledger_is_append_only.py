# The credit ledger is append-only, and the database itself says so, as for the finance ledger
# (finance/migrations/0004): an UPDATE or DELETE of an entry is refused whatever tries it; a correction
# is a new entry. SQLite rebuilds a table to alter it and the rebuilt table has no triggers: a later
# migration that alters subscriptions_creditentry must create these again.

from django.db import migrations

MESSAGE = "The credit ledger is append-only: put a mistake right with a new entry"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION subscriptions_creditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER subscriptions_creditentry_append_only
    BEFORE UPDATE OR DELETE ON subscriptions_creditentry
    FOR EACH ROW EXECUTE FUNCTION subscriptions_creditentry_refuse_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS subscriptions_creditentry_append_only ON subscriptions_creditentry;
DROP FUNCTION IF EXISTS subscriptions_creditentry_refuse_change();
"""
SQLITE = [
    f"CREATE TRIGGER subscriptions_creditentry_no_update BEFORE UPDATE ON subscriptions_creditentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER subscriptions_creditentry_no_delete BEFORE DELETE ON subscriptions_creditentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS subscriptions_creditentry_no_update;",
    "DROP TRIGGER IF EXISTS subscriptions_creditentry_no_delete;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"The credit ledger's trigger is written for PostgreSQL and SQLite, not {vendor}")


def backwards(apps, schema_editor):
    statements = [POSTGRESQL_REVERSE] if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("subscriptions", "0001_plans_subscriptions_and_credits")]

    operations = [migrations.RunPython(forwards, backwards)]
