"""Every form of the project, sent empty and sent nonsense, answers with messages that name their
field and say what to do, as GOV.UK's error messages do: never Django's "This field is required.",
which names nothing and, twice in an error summary, tells the reader nothing at all."""

import importlib
import inspect
import pkgutil
import re

import pytest
from allauth.core import context
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.core import validators
from django_scopes import scope

from accounts.models import User
from core.forms import Form, GovukErrorsMixin, field_phrase
from partnerships.forms.constitution import ConstitutionSectionForm, section_form_class
from partnerships.models.constitution import SECTIONS
from partnerships.selectors.constitution import constitution_of
from schools.models import School
from subscriptions.models import Plan
from tests.factories.meetings import InviteeFactory, MeetingFactory
from tests.factories.partnerships import make_rota, make_terms

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("core", "accounts", "schools", "partnerships", "meetings", "finance", "subscriptions", "reports")


def project_form_modules():
    """Every module of the project's apps whose name says it holds forms."""
    for app in PROJECT_APPS:
        try:
            package = importlib.import_module(app)
        except ModuleNotFoundError:
            continue
        names = [app] + [
            info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}.") if "forms" in info.name
        ]
        for name in names:
            if "forms" in name:
                yield importlib.import_module(name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = {}
    for module in project_form_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


def _django_default_patterns() -> list[re.Pattern]:
    """Django's own messages for fields and validators, as patterns (their %(...)s parts as wildcards)."""
    messages = set()
    for cls in [*vars(forms).values(), *vars(forms.models).values()]:
        if inspect.isclass(cls) and issubclass(cls, forms.Field):
            messages.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    for cls in vars(validators).values():
        if inspect.isclass(cls) and getattr(cls, "message", None) is not None:
            messages.add(str(cls.message))
    patterns = []
    for message in messages:
        parts = re.split(r"%\([a-z_]+\)[sd]", message)
        patterns.append(re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$"))
    return patterns


DJANGO_DEFAULTS = _django_default_patterns()


@pytest.fixture(autouse=True)
def _request(rf, tenant_a):
    """allauth's two-factor forms read the request (its session) through allauth's context."""
    request = rf.get("/")
    request.user = tenant_a.coordinator
    request.session = SessionStore()
    with context.request_context(request):
        yield


@pytest.fixture
def build(tenant_a):
    """Makes any project form with the keyword arguments its constructor asks for."""
    partnership = tenant_a.partnership
    make_terms(partnership, years=(2026,))
    rota = make_rota(partnership, [(tenant_a.schools[0], None), (tenant_a.schools[1], None)], confirmed=False)
    meeting = MeetingFactory(partnership=partnership, organiser=tenant_a.coordinator)
    invitee = InviteeFactory(meeting=meeting, user=tenant_a.headteacher, school=tenant_a.schools[0])
    arguments = {
        "partnership": partnership,
        "constitution": constitution_of(partnership),
        "terms": [],
        "school": tenant_a.schools[0],
        "seats": 2,
        "seat": rota.seats.first(),
        "term": rota.term,
        "email": "someone@example.com",
        "office": "chair",
        "meeting": meeting,
        "invitee": invitee,
        "schools": tenant_a.schools,
        "missing_phases": ["secondary"],
        "school_choices": School.objects.filter(pk__in=[s.pk for s in tenant_a.schools]),
        "plan_choices": Plan.objects.filter(partnership=partnership),
        "pep_choices": User.objects.filter(pk=tenant_a.headteacher.pk),
        "user_choices": User.objects.filter(pk=tenant_a.headteacher.pk),
        "delegate_choices": User.objects.filter(pk=tenant_a.headteacher.pk),
        "rows": [],
        "forum_rows": 1,
        "register": [],
        "named_places": 2,
        "organisations": True,
    }
    # allauth's forms take what they need from **kwargs.
    takes_user = {
        "AuthenticateForm",
        "MfaReauthenticateForm",
        "ActivateTOTPForm",
        "ChangePasswordForm",
        "ReauthenticateForm",
    }

    def make(cls, data, files=None):
        params = inspect.signature(cls.__init__).parameters
        needed = {
            name: arguments[name]
            for name, param in params.items()
            if param.kind == param.KEYWORD_ONLY and (param.default is param.empty or name in arguments)
        }
        missing = [
            name
            for name, param in params.items()
            if param.kind == param.KEYWORD_ONLY and param.default is param.empty and name not in arguments
        ]
        assert not missing, f"{cls.__name__} needs {missing}: teach this test how to make them"
        if cls.__name__ in takes_user:
            needed["user"] = tenant_a.coordinator
        return cls(data=data, files=files or {}, **needed)

    return make


def every_form():
    for cls in project_form_classes():
        if cls is ConstitutionSectionForm:
            yield from (section_form_class(section) for section in SECTIONS)
        else:
            yield cls


def label_words(label) -> set[str]:
    """The words of a field's label and name (a candidate's "Name" is candidate_1, under "Candidate 1")."""
    return {word[:5] for word in re.findall(r"[a-z0-9]{3,}", str(label).replace("_", " ").lower())}


def message_words(message) -> set[str]:
    return {word[:5] for word in re.findall(r"[a-z0-9]{3,}", str(message).lower())}


def check(form) -> list[str]:
    """The problems with a bound form's messages: a Django default, or a message that names no field."""
    form.is_valid()
    problems = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        for message in messages:
            if any(pattern.match(message) for pattern in DJANGO_DEFAULTS):
                problems.append(f"{type(form).__name__}.{name}: Django's own message {message!r}")
            elif field is not None and not (label_words(f"{field.label} {name}") & message_words(message)):
                problems.append(f"{type(form).__name__}.{name}: {message!r} does not name {field.label!r}")
    return problems


def test_every_project_form_is_a_core_form():
    """A form that is not a core.forms.Form (or, for allauth's, has its messages) would show Django's own."""
    classes = project_form_classes()
    assert len(classes) > 25  # the walk found the forms
    assert [c.__qualname__ for c in classes if not issubclass(c, GovukErrorsMixin)] == []
    assert all(issubclass(c, Form) for c in classes if c.__module__ != "accounts.forms")


def test_every_form_sent_empty_names_each_missing_field(build, tenant_a):
    problems = []
    with scope(partnership=tenant_a.partnership):
        for cls in every_form():
            problems += check(build(cls, {}))
    assert problems == [], "\n".join(problems)


def test_every_form_sent_nonsense_names_each_bad_field(build, tenant_a):
    """Words where numbers and dates belong, ids that are not choices, and text far too long."""
    problems = []
    with scope(partnership=tenant_a.partnership):
        for cls in every_form():
            names = list(build(cls, {}).fields)
            for value in ("nonsense " * 700, "-1", "2026-02-30"):
                problems += check(build(cls, dict.fromkeys(names, value)))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("label", "phrase"),
    [
        ("Full name", "the full name"),
        ("Who was elected?", "who was elected"),
        ("URN", "the URN"),
        ("Notes (optional)", "the notes"),
        ("Date of the election", "the date of the election"),
    ],
)
def test_a_label_becomes_the_object_of_the_message(label, phrase):
    assert field_phrase(label) == phrase


def test_a_message_the_form_sets_itself_is_kept():
    class NameForm(Form):
        name = forms.CharField(label="Name", error_messages={"required": "Enter your name as on your payslip"})
        when = forms.DateField(label="Date of the visit")

    form = NameForm(data={"when": "31 February"})
    assert not form.is_valid()
    assert form.errors == {
        "name": ["Enter your name as on your payslip"],
        "when": ["The date of the visit must be a real date"],
    }


def test_the_error_summary_links_each_message_to_its_field(build, tenant_a, client_for):
    """Each message in the summary is a link to the field it is about, by the id the field renders."""
    response = client_for(tenant_a.coordinator).post(f"/p/{tenant_a.slug}/people/invite/", {})
    assert response.status_code == 400
    body = response.content.decode()
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links and "This field is required" not in body
    for anchor, message in links:
        assert f'id="{anchor}"' in body, message
    assert [anchor for anchor, _ in links] == ["id_full_name", "id_email", "id_role"]


def test_signing_in_with_nothing_entered_names_both_answers(client):
    response = client.post("/accounts/login/", {})
    body = response.content.decode()
    assert "Enter your email address" in body and "Enter your password" in body
    assert "This field is required" not in body
