from partnerships.roles import Role

OBJECT_KWARGS = {
    # A person who holds a role in the tenant's partnership: their data is the partnership's to show.
    "user_pk": lambda tenant: tenant.headteacher.pk,
    "data_format": lambda tenant: "json",
}

PLAIN_KWARGS = {"data_format": "the export's format (json or pdf), no object"}

ALLOWED = {
    "reports:people": {Role.COORDINATOR},
    "reports:people_export": {Role.COORDINATOR},
    "reports:person": {Role.COORDINATOR},
    "reports:person_erase": {Role.COORDINATOR},
    "reports:person_export": {Role.COORDINATOR},
}
