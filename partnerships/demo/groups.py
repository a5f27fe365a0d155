"""Demo data for groups, development areas and the register of interests; called by load_demo.

Heart of Manchester gets its three standing groups with the agreement's chairing rules and a task group;
Exeter Beacon gets its development areas for this academic year, every school in at least three but one
(so the page shows the minimum's warning); every partnership gets declarations of interests, with a few
missing and one out of date. Everything is looked up before it is made, so loading twice changes nothing.
"""

import datetime

from django.utils import timezone

from partnerships.calendar import academic_year_of
from partnerships.demo import seeds as demo
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
from partnerships.models.development import Status
from partnerships.selectors.interests import declaring_roles
from partnerships.services.development import (
    area_participation_add,
    development_action_add,
    development_area_create,
    development_milestone_add,
)
from partnerships.services.groups import group_create, group_member_add
from schools.models import Person, School

POSITIONS = list(Person.Position.values)


def load(partnership, spec: dict, admin) -> None:
    """Add this area's demo data to one partnership (idempotent). `spec` is its entry in partnerships/demo.py."""
    schools = {urn: School.objects.get(urn=urn) for urn, *_ in spec["schools"]}
    if spec["slug"] == "heart-of-manchester":
        _heart_of_manchester(partnership, schools, admin)
    if spec["slug"] == "exeter-beacon":
        _exeter_beacon(partnership, schools, admin)


# --- People -----------------------------------------------------------------------------------------------


def _name(school: School, position: str, index: int) -> str:
    n = school.urn * 7 + POSITIONS.index(position) * 5 + index * 3
    return f"{demo.FIRST[n % len(demo.FIRST)]} {demo.LAST[(n // 3 + index) % len(demo.LAST)]}"


def _people(partnership, school: School, position: str, count: int = 1) -> list[Person]:
    """The school's first `count` people in a position: those the schools demo made, else a few of our own."""
    found = list(Person.objects.filter(partnership=partnership, school=school, position=position).order_by("pk"))
    index = 0
    while len(found) < count:
        person, _ = Person.objects.get_or_create(
            partnership=partnership,
            school=school,
            position=position,
            full_name=_name(school, position, index),
            defaults={"email": f"{position.replace('_', '.')}.{index}.{school.urn}@schools.example"},
        )
        if person not in found:
            found.append(person)
        index += 1
    return found[:count]


def _person(partnership, school: School, position: str, index: int = 0) -> Person:
    return _people(partnership, school, position, index + 1)[index]


def _headteacher(partnership, school: School) -> Person:
    """The school's headteacher: the person linked to the demo head's login when we make them."""
    found = Person.objects.filter(partnership=partnership, school=school, position=Person.Position.HEADTEACHER)
    head = found.order_by("pk").first()
    if head is not None:
        return head
    from accounts.models import User

    user = User.objects.filter(email=f"head.{school.urn}@schools.example").first()
    name = user.full_name if user else _name(school, Person.Position.HEADTEACHER, 0)
    head, _ = Person.objects.get_or_create(
        partnership=partnership,
        school=school,
        position=Person.Position.HEADTEACHER,
        full_name=name,
        defaults={"email": user.email if user else "", "user": user},
    )
    return head


# --- Heart of Manchester: three standing groups and task groups -------------------------------------------


def _group(admin, partnership, *, name, members, **fields) -> Group:
    group = Group.objects.filter(partnership=partnership, name=name).first()
    if group is None:
        group = group_create(actor=admin, partnership=partnership, name=name, **fields)
    have = set(GroupMember.objects.filter(group=group).values_list("person_id", flat=True))
    for person in members:
        if person.pk not in have:
            group_member_add(actor=admin, group=group, person=person)
    return group


def _heart_of_manchester(partnership, schools: dict[int, School], admin) -> None:
    ordered = list(schools.values())
    founded = datetime.date(2013, 9, 1)
    deputies = [_person(partnership, s, Person.Position.DEPUTY_HEAD) for s in ordered]
    assistants = [_person(partnership, s, Person.Position.ASSISTANT_HEAD) for s in ordered[::2]]
    _group(
        admin,
        partnership,
        name="Deputy and Assistant Heads Network",
        kind=Group.Kind.STANDING,
        chairing=Group.Chairing.DEPUTY_OF_CHAIRS_SCHOOL,
        remit="Carry out the tasks given by the strategic group, and develop members' leadership skills as "
        "future school leaders. Meets each half term.",
        starts=founded,
        members=deputies + assistants,
    )
    # Martenscroft nursery hosts the next EYFS meeting; Rolls Crescent, the banker school, the business one.
    _group(
        admin,
        partnership,
        name="EYFS Network",
        kind=Group.Kind.STANDING,
        chairing=Group.Chairing.HOST_SCHOOL,
        host_school=schools[990205],
        remit="Early years practice across the partnership: moderation at EYFS baseline and exit, shared "
        "training, and such tasks as the strategic group decides. Meets each half term.",
        starts=founded,
        members=[_person(partnership, s, Person.Position.EYFS_LEAD) for s in ordered],
    )
    _group(
        admin,
        partnership,
        name="Business Managers Network",
        kind=Group.Kind.STANDING,
        chairing=Group.Chairing.HOST_SCHOOL,
        host_school=schools[990207],
        remit="The office and business managers' group: joint purchasing, shared services and such tasks as "
        "the strategic group decides. Meets each half term.",
        starts=founded,
        members=[_person(partnership, s, Person.Position.BUSINESS_MANAGER) for s in ordered],
    )
    year = academic_year_of(timezone.localdate())
    training_lead = deputies[1]
    _group(
        admin,
        partnership,
        name="Joint Training Day Task Group",
        kind=Group.Kind.TASK,
        chairing=Group.Chairing.NAMED,
        chair=training_lead,
        remit="Identify one training day to be organised jointly by the eight schools this year, plan its "
        "programme, and propose how the schools can harmonise their training days from next year.",
        starts=datetime.date(year, 9, 15),
        ends=datetime.date(year + 1, 3, 31),
        members=[training_lead, deputies[3], deputies[6], _person(partnership, ordered[6], "business_manager")],
    )
    review_lead = deputies[0]
    _group(
        admin,
        partnership,
        name="Partnership Framework Review Task Group",
        kind=Group.Kind.TASK,
        chairing=Group.Chairing.NAMED,
        chair=review_lead,
        remit="Review the partnership framework and present the revised structure to the governing bodies "
        "of each school for approval.",
        starts=datetime.date(year - 1, 1, 6),
        ends=datetime.date(year - 1, 7, 18),
        members=[review_lead, deputies[2], deputies[5]],
    )


# --- Exeter Beacon: about five development areas for the year ---------------------------------------------

AREAS = [
    (
        "Literacy",
        Person.Position.TEACHER,
        "Raise attainment in reading and writing at every key stage transition, sharing moderation of writing "
        "between primary and secondary colleagues.",
        [
            ("Joint moderation of Year 6 and Year 7 writing", 0, Status.DONE),
            ("Family reading mornings in every primary school", 1, Status.IN_PROGRESS),
            ("Share phonics training for new teaching assistants", 2, Status.PLANNED),
        ],
    ),
    (
        "Numeracy",
        Person.Position.TEACHER,
        "Improve progress in mathematics from Key Stage 2 to Key Stage 3 through shared planning and a "
        "partnership maths challenge.",
        [
            ("Partnership maths challenge for Years 5 to 8", 1, Status.IN_PROGRESS),
            ("Shared calculation policy across the phases", 4, Status.PLANNED),
        ],
    ),
    (
        "Extended Services and Community",
        Person.Position.BUSINESS_MANAGER,
        "Complete the Extended Schools core offer: childcare, a varied menu of activities, parenting support, "
        "swift and easy referral, and community access to facilities.",
        [
            ("Holiday activity programme across the cluster", 0, Status.DONE),
            ("Map community use of school facilities", 2, Status.IN_PROGRESS),
            ("Parenting support course each term", 5, Status.PLANNED),
        ],
    ),
    (
        "Leadership Development",
        Person.Position.DEPUTY_HEAD,
        "Plan succession for new leaders: shadowing, coaching and shared middle-leader training.",
        [
            ("Middle leaders' programme, three sessions", 1, Status.IN_PROGRESS),
            ("Deputy headteacher shadowing placements", 3, Status.PLANNED),
        ],
    ),
    (
        "Inclusion and Wellbeing",
        Person.Position.SENCO,
        "Improve attendance and behaviour and personalise provision for vulnerable pupils, with shared SENCO "
        "expertise across the partnership.",
        [
            ("SENCO network moderation of provision maps", 0, Status.DONE),
            ("Attendance follow-up protocol shared by all schools", 3, Status.IN_PROGRESS),
            ("Wellbeing survey of Year 6 and Year 7 pupils", 6, Status.PLANNED),
        ],
    ),
]


def _exeter_beacon(partnership, schools: dict[int, School], admin) -> None:
    year = academic_year_of(timezone.localdate())
    ordered = list(schools.values())
    # School i takes part in areas i, i+1 and i+2 (mod 5), every fourth school in a fourth as well, and the
    # last school in only two: the participation page shows it below the agreement's minimum of three.
    taking_part: dict[int, list[School]] = {k: [] for k in range(len(AREAS))}
    for i, school in enumerate(ordered):
        ks = {i % 5, (i + 1) % 5} if i == len(ordered) - 1 else {i % 5, (i + 1) % 5, (i + 2) % 5}
        if i % 4 == 0 and i != len(ordered) - 1:
            ks.add((i + 3) % 5)
        for k in sorted(ks):
            taking_part[k].append(school)
    start = datetime.date(year, 9, 1)
    for k, (name, lead_position, objectives, actions) in enumerate(AREAS):
        area = DevelopmentArea.objects.filter(partnership=partnership, academic_year=year, name=name).first()
        coordinator_school = ordered[k]  # school k takes part in area k
        if area is None:
            area = development_area_create(
                actor=admin,
                partnership=partnership,
                academic_year=year,
                name=name,
                coordinator=_headteacher(partnership, coordinator_school),
                objectives=objectives,
            )
            area.status = Status.IN_PROGRESS
            area.save(update_fields=["status"])
        joined = set(AreaParticipation.objects.filter(area=area).values_list("school_id", flat=True))
        for school in taking_part[k]:
            if school.pk not in joined:
                lead = (
                    _headteacher(partnership, school)
                    if school == coordinator_school
                    else _person(partnership, school, lead_position, index=1 if name == "Numeracy" else 0)
                )
                area_participation_add(actor=admin, area=area, school=school, lead=lead)
        if not DevelopmentAction.objects.filter(area=area).exists():
            for n, (description, owner_index, status) in enumerate(actions):
                owner_school = taking_part[k][owner_index % len(taking_part[k])]
                development_action_add(
                    actor=admin,
                    area=area,
                    description=description,
                    owner=_person(partnership, owner_school, lead_position, index=1 if name == "Numeracy" else 0),
                    due=start + datetime.timedelta(days=75 + 70 * n),
                    status=status,
                )
        if not DevelopmentMilestone.objects.filter(area=area).exists():
            development_milestone_add(
                actor=admin,
                area=area,
                description="Plan agreed at the partnership meeting and leads named in every school",
                due=start + datetime.timedelta(days=45),
                status=Status.DONE,
            )
            development_milestone_add(
                actor=admin,
                area=area,
                description="Evaluation reported to the annual review, before the annual planning meeting",
                due=datetime.date(year + 1, 6, 30),
                status=Status.PLANNED,
            )


# --- Declarations of interests ------------------------------------------------------------------------------

PECUNIARY = [
    "Director of Bright Futures Tutoring Ltd, which has offered CPD to the partnership",
    "Shareholder in Westcountry School Supplies Ltd",
    "Paid associate of the local authority's school improvement service",
    "Spouse owns the catering company that runs lunches at two member schools",
]
OTHER = [
    "Governor of another member school",
    "Sister is a teaching assistant at a member school",
    "Trustee of the local children's centre charity",
]


def declarations(partnership) -> None:
    """Run by load_demo after every app's loader, so that everyone the demo gives a role is in the
    register. Most people have declared; one in nine has not (missing) and one in nine declared over a year ago."""
    today = timezone.localdate()
    users = {a.user_id: a.user for a in declaring_roles().filter(partnership=partnership).select_related("user")}
    declared = set(InterestDeclaration.objects.filter(partnership=partnership).values_list("user_id", flat=True))
    for i, user in enumerate(sorted(users.values(), key=lambda u: u.email)):
        if i % 9 == 4 or user.pk in declared:
            continue
        out_of_date = i % 9 == 7
        on = today - datetime.timedelta(days=400 if out_of_date else 10 + (i * 37) % 300)
        kind = i % 4
        declaration = InterestDeclaration.objects.create(
            partnership=partnership, user=user, declared_on=on, nothing_to_declare=kind in (0, 3)
        )
        if kind == 1:
            Interest.objects.create(
                declaration=declaration, kind=Interest.Kind.PECUNIARY, description=PECUNIARY[i % len(PECUNIARY)]
            )
            if i % 3 == 0:
                Interest.objects.create(declaration=declaration, kind=Interest.Kind.OTHER, description=OTHER[i % 3])
        elif kind == 2:
            Interest.objects.create(declaration=declaration, kind=Interest.Kind.OTHER, description=OTHER[i % 3])
