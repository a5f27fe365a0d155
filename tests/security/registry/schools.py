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
    "schools:directory": _ALL,
    "schools:school": _ALL,
    "schools:register_import": {R.COORDINATOR},
    "schools:census_import": {R.COORDINATOR},
    "schools:census_record": {R.COORDINATOR},
    "schools:budget_record": {R.COORDINATOR},
    "schools:person_add": {R.COORDINATOR},
    "schools:person_edit": {R.COORDINATOR},
    "schools:person_remove": {R.COORDINATOR},
}
