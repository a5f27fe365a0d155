# The banker school's ledger is append-only, and the database itself says so: an UPDATE or DELETE of
# an entry is refused whatever code (or person at a database prompt) tries it. A correction is a
# reversing entry. Both refusals are integrity errors (PostgreSQL's SQLSTATE 23000, SQLite's
# RAISE(ABORT)), which Django raises as IntegrityError.
#
# SQLite rebuilds a table to alter it and the rebuilt table has no triggers: a later migration that
# alters finance_ledgerentry must create these again (tests/finance/test_ledger.py fails if it does not).

from django.db import migrations

MESSAGE = "The ledger is append-only: correct an entry with a reversing entry"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION finance_ledgerentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER finance_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON finance_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION finance_ledgerentry_refuse_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS finance_ledgerentry_append_only ON finance_ledgerentry;
DROP FUNCTION IF EXISTS finance_ledgerentry_refuse_change();
"""
SQLITE = [
    f"CREATE TRIGGER finance_ledgerentry_no_update BEFORE UPDATE ON finance_ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER finance_ledgerentry_no_delete BEFORE DELETE ON finance_ledgerentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS finance_ledgerentry_no_update;",
    "DROP TRIGGER IF EXISTS finance_ledgerentry_no_delete;",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, [POSTGRESQL])
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)
    else:
        raise NotImplementedError(f"The ledger's append-only trigger is written for PostgreSQL and SQLite, not {vendor}")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, [POSTGRESQL_REVERSE] if vendor == "postgresql" else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_requests_payments_and_ledger")]

    operations = [migrations.RunPython(forwards, backwards)]
