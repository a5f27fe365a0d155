"""factory-boy factories. Roles are started through the real service, with its rules and audit rows."""

import datetime
import itertools

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from partnerships.models import Membership, Partnership
from partnerships.services import role_start
from partnerships.services.partnerships import partnership_prepare
from schools.models import School

_urn = itertools.count(100000)
PASSWORD = "a-long-test-password-1"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.LazyFunction(lambda: next(_urn))
    name = factory.Sequence(lambda n: f"School {n} Primary")
    phase = School.Phase.PRIMARY
    type = "Community school"
    local_authority = "Devon"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    status = Partnership.Status.ACTIVE

    @factory.post_generation
    def prepared(obj, create, extracted, **kwargs):
        # Every partnership has its constitution and this and next year's terms (partnership_create).
        if create:
            partnership_prepare(partnership=obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    school = factory.SubFactory(SchoolFactory)
    joined = datetime.date(2020, 9, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


def give_role(user, partnership, role, school=None, *, start=None, end=None):
    """Start a role through the service, as a coordinator would."""
    return role_start(
        actor=None,
        user=user,
        partnership=partnership,
        role=role,
        school=school,
        start=start or timezone.localdate() - datetime.timedelta(days=30),
        end=end,
    )
