"""Factories for groups, development areas and interests (see tests/factories/__init__.py for the shared ones).

Build them with scopes disabled (fixtures) or inside `scope(partnership=...)`.
"""

import datetime

import factory

from partnerships.models import (
    AreaParticipation,
    DevelopmentAction,
    DevelopmentArea,
    DevelopmentMilestone,
    Group,
    GroupMember,
    Interest,
    InterestDeclaration,
)
from schools.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    """A person of a school. Pass partnership and school; the school should be a member."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    email = factory.Sequence(lambda n: f"staff{n}@school.example")
    position = Person.Position.TEACHER


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Network {n}")
    kind = Group.Kind.STANDING
    chairing = Group.Chairing.NAMED
    starts = datetime.date(2024, 9, 1)


class TaskGroupFactory(GroupFactory):
    name = factory.Sequence(lambda n: f"Task group {n}")
    kind = Group.Kind.TASK
    remit = "Plan the joint training day"
    ends = datetime.date(2030, 7, 31)


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember


class DevelopmentAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentArea

    name = factory.Sequence(lambda n: f"Area {n}")
    academic_year = 2026
    objectives = "Raise standards together"


class DevelopmentActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentAction

    description = factory.Sequence(lambda n: f"Action {n}")
    due = datetime.date(2027, 3, 31)


class DevelopmentMilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentMilestone

    description = factory.Sequence(lambda n: f"Milestone {n}")
    due = datetime.date(2027, 2, 1)


class AreaParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaParticipation


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A declaration; pass partnership and user (and declared_on for an old one)."""

    class Meta:
        model = InterestDeclaration

    nothing_to_declare = True


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    kind = Interest.Kind.PECUNIARY
    description = factory.Sequence(lambda n: f"Director of Supplier {n} Ltd")
