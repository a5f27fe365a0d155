"""Delete the object permissions that used to be copied from roles into django-guardian.

Roles' permissions are now worked out on each request from the roles in force, so these rows would
only be stale copies (some of people whose roles have ended). Explicit grants are on the
partnership's own records, never on the Partnership or School, so nothing else is touched.
The codenames are written out here as they stood, not imported, so the migration never changes.
"""

from django.db import migrations

COPIED = {
    ("partnerships", "partnership"): [
        "change_constitution",
        "change_partnership",
        "declare_interests",
        "manage_governance",
        "manage_members",
        "manage_people",
        "view_audit",
        "view_interests",
        "view_members",
        "view_partnership",
        "view_people",
    ],
    ("schools", "school"): ["act_for_school", "advise_school", "govern_school"],
}


def delete_copied_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    for (app_label, model), codenames in COPIED.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:  # a new database: nothing was ever copied
            continue
        UserObjectPermission.objects.filter(
            content_type=content_type,
            permission__content_type=content_type,
            permission__codename__in=codenames,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_constitution_and_terms_for_every_partnership"),
        ("schools", "0002_school_religious_character_school_street_school_town_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    # Going back does not recreate the copies; nothing reads them any more.
    operations = [migrations.RunPython(delete_copied_rows, migrations.RunPython.noop, elidable=True)]
