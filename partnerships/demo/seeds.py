"""The five seed partnerships (../shared/seeds), as demo data. URNs are made up (9xxxxx)."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from partnerships.calendar import academic_year_of


def this_year() -> int:
    """The academic year the demo is set in: always the current one, so the demo never goes stale."""
    return academic_year_of(timezone.localdate())


@functools.cache
def password_hash() -> str:
    """The demo password, hashed once: hashing it again for each of some hundred demo users was
    most of the demo's loading time, and every demo user has the same password anyway."""
    return make_password(settings.DEMO_PASSWORD)


def demo_user(email: str, full_name: str, *, superuser: bool = False):
    """A demo user with the demo password, created once."""
    from accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, full_name=full_name, password=password_hash(), is_staff=superuser, is_superuser=superuser
        )
    return user


def roles_from() -> datetime.date:
    """The demo's roles started at the beginning of last academic year."""
    return datetime.date(this_year() - 1, 9, 1)


P, INF, J, S, SP, N = "primary", "infant", "junior", "secondary", "special", "nursery"

PARTNERSHIPS = [
    {
        "slug": "exeter-beacon",
        "name": "Exeter Beacon Learning Community",
        "purpose": "To raise aspiration, attainment and achievement, improve behaviour, attendance and life "
        "chances, and personalise provision for all children and young people in our schools.",
        "aims": "Foster an ethos of aspiration, success, achievement and wellbeing.\n"
        "Share knowledge, resources and skills.\n"
        "Develop new directions in teaching and learning and plan succession for new leaders.",
        "agreement": (datetime.date(2009, 4, 1), datetime.date(2011, 4, 30)),
        "la": "Devon",
        "schools": [
            (990101, "Ellen Tinkham School", SP, "Community special school"),
            (990102, "Ladysmith Infant & Nursery School", INF, "Community school"),
            (990103, "Ladysmith Junior School", J, "Community school"),
            (990104, "Pinhoe Church of England Primary School", P, "Voluntary controlled school"),
            (990105, "St Michael's Church of England (VA) Primary School", P, "Voluntary aided school"),
            (990106, "St Nicholas Catholic Primary School", P, "Voluntary aided school"),
            (990107, "Stokehill Infant and Nursery School", INF, "Community school"),
            (990108, "Stokehill Junior School", J, "Community school"),
            (990109, "Whipton Barton Infants and Nursery School", INF, "Community school"),
            (990110, "Whipton Barton Junior School", J, "Community school"),
            (990111, "Willowbrook Primary School", P, "Community school"),
            (990112, "St James's School", S, "Community school"),
            (990113, "St Luke's Science and Sports College", S, "Voluntary aided school"),
            (990114, "St Peter's Church of England Aided School", S, "Voluntary aided school"),
        ],
        "governors_sign": True,
        "chair_school": 990111,
        "finance_school": 990112,
    },
    {
        "slug": "heart-of-manchester",
        "name": "Heart of Manchester Schools' Partnership",
        "purpose": "An inclusive partnership of eight schools in the urban heart of Manchester, celebrating and "
        "serving our culturally diverse community through outstanding provision for children and families.",
        "aims": "So that no one child or school is left behind.",
        "agreement": (datetime.date(2013, 9, 1), None),
        "la": "Manchester",
        "schools": [
            (990201, "Claremont Primary School", P, "Community school"),
            (990202, "St Philip's Church of England Primary School", P, "Voluntary aided school"),
            (990203, "St Margaret's Church of England Primary School", P, "Voluntary aided school"),
            (990204, "Webster Primary School", P, "Community school"),
            (
                990205,
                "Martenscroft Nursery School and Children's Centre",
                N,
                "Local authority nursery school",
            ),
            (990206, "Divine Mercy RC Primary School", P, "Voluntary aided school"),
            (990207, "Rolls Crescent Primary School", P, "Community school"),
            (990208, "St Mary's Church of England Primary School", P, "Voluntary aided school"),
        ],
        "governors_sign": True,
        "chair_school": 990201,
        "finance_school": 990207,  # the banker school
    },
    {
        "slug": "education-kingston",
        "name": "EducationKingston",
        "purpose": "A school improvement subscription service owned and operated by schools, for schools.",
        "aims": "Full-subscription member schools get an assigned EducationKingston partner, a termly "
        "governors' report, places at network events and 60 credits a year.",
        "agreement": (datetime.date(2011, 9, 1), None),
        "la": "Kingston upon Thames",
        "schools": [
            (990301, "Alexandra Infant School", INF, "Community school"),
            (990302, "Burlington Junior School", J, "Community school"),
            (990303, "Coombe Boys' School", S, "Academy converter"),
            (990304, "Fern Hill Primary School", P, "Community school"),
            (990305, "Green Lane Primary School", P, "Academy converter"),
            (990306, "Knollmead Primary School", P, "Community school"),
            (990307, "Southborough High School", S, "Academy converter"),
            (990308, "St Agatha's Catholic Primary School", P, "Voluntary aided school"),
        ],
        "chair_school": 990307,
        "finance_school": 990303,
    },
    {
        "slug": "swale-lcsp",
        "name": "Swale Local Children's Services Partnership",
        "purpose": "Support and challenge, through our Primary Excellence Project headteacher, to ensure excellence "
        "in standards and provision in all the partnership's primary schools.",
        "aims": "Every child nurtured and encouraged at home, inspired and motivated by school.",
        "agreement": (datetime.date(2008, 9, 1), datetime.date(2011, 3, 31)),
        "la": "Kent",
        "schools": [
            (990401, "Bapchild and Tonge Primary School", P, "Voluntary controlled school"),
            (990402, "Bobbing Village School", P, "Community school"),
            (990403, "Eastchurch Church of England Primary School", P, "Voluntary controlled school"),
            (990404, "Grove Park Primary School", P, "Community school"),
            (990405, "Halfway Houses Primary School", P, "Community school"),
            (990406, "Iwade Community Primary School", P, "Community school"),
            (990407, "Lansdowne Primary School", P, "Community school"),
            (990408, "Milton Court Primary School", P, "Community school"),
            (990409, "Minster in Sheppey Primary School", P, "Community school"),
            (990410, "Rodmersham School", P, "Community school"),
        ],
        "chair_school": 990404,
        "finance_school": 990406,
        "adviser_for_all": True,  # the PEP headteacher is school improvement partner for up to 10 schools
    },
    {
        "slug": "kingston-north",
        "name": "Kingston North Schools Partnership",
        "purpose": "The success and wellbeing of the children educated within our schools, through professional "
        "collaboration, challenge and support between members.",
        "aims": "At least three strategic meetings a year; shared CPD; an annual partnership report for "
        "governing bodies.",
        "agreement": (datetime.date(2024, 9, 1), datetime.date(2027, 8, 31)),
        "la": "Kingston upon Thames",
        "schools": [
            (
                990304,
                "Fern Hill Primary School",
                P,
                "Community school",
            ),  # also an EducationKingston subscriber
            (990501, "Latchmere School", P, "Academy converter"),
            (990502, "King Athelstan Primary School", P, "Community school"),
            (990503, "Tolworth Girls' School", S, "Community school"),
            (990504, "Robin Hood Primary School", P, "Community school"),
            (990505, "St Luke's Church of England Primary School", P, "Voluntary aided school"),
        ],
        "chair_school": 990501,
        "finance_school": 990502,
    },
]

FIRST = [
    "Amelia",
    "Ben",
    "Chloe",
    "Daniel",
    "Eleanor",
    "Farhan",
    "Grace",
    "Harry",
    "Isla",
    "James",
    "Kiran",
    "Lucy",
    "Mohammed",
    "Nia",
    "Oliver",
    "Priya",
    "Rachel",
    "Samuel",
    "Tom",
    "Uma",
    "Victoria",
    "William",
    "Yasmin",
    "Zara",
]
LAST = [
    "Ahmed",
    "Barnes",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Shaw",
    "Taylor",
    "Walker",
    "Young",
]
