"""The members directory, school pages, register and census imports, figures and people."""

from partnerships.roles import Role
from schools.models import Person

R = Role
_ALL = set(Role)  # every role may see the member schools, the local authority observer included


def _person(tenant):
    school = tenant.schools[0]
    person, _ = Person.objects.get_or_create(
        partnership=tenant.partnership,
        school=school,
        full_name="Registry Person",
        defaults={"position": Person.Position.DEPUTY_HEAD, "email": f"registry@{tenant.slug}.example"},
    )
    return person.pk


OBJECT_KWARGS = {
    "school_urn": lambda tenant: tenant.schools[0].urn,
    "person_pk": _person,
}

ALLOWED = {
    "members:directory": _ALL,
    "members:directory_export": _ALL,
    "members:school": _ALL,
    "members:register_import": {R.COORDINATOR},
    "members:census_import": {R.COORDINATOR},
    "members:census_record": {R.COORDINATOR},
    "members:budget_record": {R.COORDINATOR},
    "members:person_add": {R.COORDINATOR},
    "members:person_edit": {R.COORDINATOR},
    "members:person_remove": {R.COORDINATOR},
}

# A school's people, census and budget pages are its private records: to anyone who may not see them
# (here every role but the coordinator, the school roles being held for another school) they are 404.
_NOT_THE_SCHOOLS = set(Role) - {R.COORDINATOR}
NOT_FOUND = {
    "members:census_record": _NOT_THE_SCHOOLS,
    "members:budget_record": _NOT_THE_SCHOOLS,
    "members:person_add": _NOT_THE_SCHOOLS,
    "members:person_edit": _NOT_THE_SCHOOLS,
    "members:person_remove": _NOT_THE_SCHOOLS,
}
