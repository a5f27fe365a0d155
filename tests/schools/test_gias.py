"""The GIAS import: reads real column names and encodings, round-trips, and rejects bad files whole."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from accounts.models import AuditEvent
from partnerships.models import Membership
from partnerships.services.members import school_register_import
from schools import gias
from schools.models import Census, School
from tests.factories.partnerships import MembershipFactory
from tests.factories.schools import GIAS_HEADER, SchoolFactory, csv_bytes, gias_row

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gias"
HOM = FIXTURES / "heart_of_manchester.csv"
EXETER = FIXTURES / "exeter_beacon_cp1252.csv"


def _import(data: bytes, **kwargs):
    return school_register_import(actor=None, data=data, **kwargs)


# --- the parser ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "kind", "name", "ages", "expected"),
    [
        ("Primary", "Community school", "Fern Hill Primary School", ("", ""), "primary"),
        ("Primary", "Community school", "Alexandra Infant School", ("", ""), "infant"),
        ("Primary", "Community school", "Burlington Junior School", ("", ""), "junior"),
        ("Primary", "Community school", "Ladysmith Junior and Infant School", ("", ""), "primary"),
        ("Primary", "Community school", "Oak School", ("3", "7"), "infant"),
        ("Primary", "Community school", "Oak School", ("7", "11"), "junior"),
        ("Primary", "Community school", "Oak Infant School", ("4", "11"), "primary"),
        ("Nursery", "Local authority nursery school", "Martenscroft Nursery", ("", ""), "nursery"),
        ("Secondary", "Academy converter", "Coombe Boys' School", ("", ""), "secondary"),
        ("Middle deemed primary", "Community school", "A Middle School", ("", ""), "middle"),
        ("Middle deemed secondary", "Community school", "A Middle School", ("", ""), "middle"),
        ("16 plus", "Sixth form centres", "A Sixth Form", ("", ""), "secondary"),
        ("All-through", "Academy converter", "An All-through School", ("", ""), "all_through"),
        ("Not applicable", "Community special school", "Ellen Tinkham School", ("", ""), "special"),
        ("Not applicable", "Academy special converter", "A Special Academy", ("", ""), "special"),
        ("Not applicable", "Pupil referral unit", "A PRU", ("", ""), "pru"),
        ("Not applicable", "Academy alternative provision converter", "An AP", ("", ""), "pru"),
        ("Secondary", "Foundation special school", "A Special School", ("", ""), "special"),
        ("  primary ", "Community school", "Fern Hill Primary School", ("", ""), "primary"),
        ("Not applicable", "Further education", "A College", ("", ""), None),
        ("Sixth form", "Community school", "A School", ("", ""), None),
        ("", "Community school", "A School", ("", ""), None),
    ],
)
def test_gias_phases_and_types_map_to_the_register_phases(phase, kind, name, ages, expected):
    assert gias.phase_for(phase=phase, type_name=kind, name=name, low_age=ages[0], high_age=ages[1]) == expected


def test_a_utf8_file_with_bom_is_read_with_its_real_columns_and_other_columns_ignored():
    parsed = gias.parse_establishments(HOM.read_bytes())
    assert parsed.errors == []
    assert [row.urn for row in parsed.rows] == list(range(990201, 990209))
    claremont = parsed.rows[0]
    assert claremont.line == 2
    assert claremont.values == {
        "name": "Claremont Primary School",
        "type": "Community school",
        "religious_character": "",  # "Does not apply"
        "local_authority": "Manchester",
        "street": "Claremont Road",
        "town": "Manchester",
        "postcode": "M14 4RP",
        "phase": "primary",
    }
    assert parsed.rows[4].values["phase"] == "nursery"
    assert parsed.rows[5].values["religious_character"] == "Roman Catholic"


def test_a_windows_1252_file_is_read_with_its_curly_apostrophes_and_accents():
    data = EXETER.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = gias.parse_establishments(data)
    assert parsed.errors == []
    by_urn = {row.urn: row.values for row in parsed.rows}
    assert by_urn[990105]["name"] == "St Michael\u2019s Church of England (VA) Primary School"
    assert by_urn[990115]["street"] == "Caf\u00e9 Lane"
    assert by_urn[990101]["phase"] == "special"
    assert by_urn[990115]["phase"] == "pru"
    assert (by_urn[990102]["phase"], by_urn[990103]["phase"]) == ("infant", "junior")


def test_headings_may_differ_in_case_and_spacing_and_values_are_tidied():
    data = b"urn , ESTABLISHMENTNAME,typeofestablishment (name),PhaseOfEducation (name),Postcode\n"
    data += b"123456,  Oak   Primary  School ,Community school,Primary,ex1 1aa\n"
    (row,) = gias.parse_establishments(data).rows
    assert row.values["name"] == "Oak Primary School"
    assert row.values["postcode"] == "EX1 1AA"
    assert "town" not in row.values  # absent column: left as it is on the register


# --- round trip ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_file_round_trips_create_then_update_then_unchanged():
    report = _import(HOM.read_bytes(), filename="heart_of_manchester.csv")
    assert (report.created, report.updated, report.unchanged) == (8, 0, 0)
    rolls = School.objects.get(urn=990207)
    assert (rolls.name, rolls.phase, rolls.local_authority, rolls.postcode) == (
        "Rolls Crescent Primary School",
        "primary",
        "Manchester",
        "M15 5JX",
    )
    assert rolls.address == "Rolls Crescent, Manchester, M15 5JX"

    # The same file again changes nothing.
    report = _import(HOM.read_bytes())
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)

    # A renamed school is updated by URN; the others are unchanged.
    text = HOM.read_bytes().replace(b"Webster Primary School", b"Webster Primary Academy")
    report = _import(text)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 7)
    assert School.objects.get(urn=990204).name == "Webster Primary Academy"
    assert School.objects.filter(urn__gte=990201, urn__lte=990208).count() == 8
    # Pupil numbers are not invented into census figures (GIAS has no FTE).
    assert not Census.objects.exists()
    with scopes_disabled():
        actions = list(AuditEvent.objects.filter(action="schools.register_imported").values_list("summary", flat=True))
    assert len(actions) == 3 and "8 created" in actions[-1] and "heart_of_manchester.csv" in actions[-1]


@pytest.mark.django_db
def test_reimport_updates_existing_register_entries_and_leaves_absent_columns_alone():
    school = SchoolFactory(urn=123456, name="Old Name", town="Exeter", street="Old Street")
    data = csv_bytes(
        [
            {
                "URN": "123456",
                "EstablishmentName": "New Name",
                "TypeOfEstablishment (name)": "Academy converter",
                "PhaseOfEducation (name)": "Secondary",
                "Street": "",
            }
        ]
    )
    report = _import(data)
    assert (report.created, report.updated) == (0, 1)
    school.refresh_from_db()
    assert (school.name, school.phase, school.type, school.street, school.town) == (
        "New Name",
        "secondary",
        "Academy converter",
        "",
        "Exeter",
    )


@pytest.mark.django_db
def test_imported_schools_can_join_the_partnership_from_a_date(tenant_a):
    already = tenant_a.schools[0]
    rows = [gias_row(already.urn, already.name), gias_row(654321, "New Primary School")]
    joined = datetime.date(2026, 9, 1)
    report = _import(
        csv_bytes(rows),
        partnership=tenant_a.partnership,
        add_as_members=True,
        joined=joined,
        approval_reference="SG 4/26",
    )
    assert (report.created, report.updated, report.joined, report.already_members) == (1, 1, 1, 1)
    with scopes_disabled():
        new = Membership.objects.get(partnership=tenant_a.partnership, school__urn=654321)
        assert (new.joined, new.approval_reference) == (joined, "SG 4/26")
        assert Membership.objects.filter(partnership=tenant_a.partnership, school=already).count() == 1
        # Importing again adds nobody twice.
        report = _import(csv_bytes(rows), partnership=tenant_a.partnership, add_as_members=True, joined=joined)
        assert (report.joined, report.already_members) == (0, 2)
        assert Membership.objects.filter(partnership=tenant_a.partnership).count() == 3


@pytest.mark.django_db
def test_a_school_that_left_joins_again_with_a_new_membership(tenant_a):
    with scopes_disabled():
        school = MembershipFactory(
            partnership=tenant_a.partnership, joined=datetime.date(2018, 9, 1), left=datetime.date(2022, 8, 31)
        ).school
    report = _import(
        csv_bytes([gias_row(school.urn, school.name)]),
        partnership=tenant_a.partnership,
        add_as_members=True,
        joined=datetime.date(2026, 9, 1),
    )
    assert report.joined == 1
    with scopes_disabled():
        assert Membership.objects.filter(partnership=tenant_a.partnership, school=school).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("joined", "message"),
    [
        (datetime.date(1999, 8, 31), "2000 or later"),
        (datetime.date(2099, 1, 1), "within a year"),
        (None, "Enter the date"),
    ],
)
def test_an_odd_join_date_is_refused_and_nothing_is_saved(tenant_a, joined, message):
    with pytest.raises(ValidationError) as error:
        _import(
            csv_bytes([gias_row(654321, "New Primary School")]),
            partnership=tenant_a.partnership,
            add_as_members=True,
            joined=joined,
        )
    assert message in " ".join(error.value.message_dict["joined"])
    assert not School.objects.filter(urn=654321).exists()


# --- bad files: rejected whole -----------------------------------------------------------------------

GOOD = gias_row(111111, "Good Primary School")


def _rows(*bad):
    return csv_bytes([GOOD, *bad])


BAD_FILES = [
    pytest.param(b"", "The file is empty", id="empty"),
    pytest.param(b"\r\n  \r\n", "The file is empty", id="blank-lines"),
    pytest.param(",".join(GIAS_HEADER).encode() + b"\r\n", "heading row but no schools", id="header-only"),
    pytest.param(
        b"URN,EstablishmentName\r\n123456,Oak\r\n",
        "missing the columns \u201cTypeOfEstablishment (name)\u201d, \u201cPhaseOfEducation (name)\u201d",
        id="missing-columns",
    ),
    pytest.param(
        b"URN;EstablishmentName;TypeOfEstablishment (name);PhaseOfEducation (name)\r\n1;2;3;4\r\n",
        "missing the columns \u201cURN\u201d",
        id="semicolons",
    ),
    pytest.param(
        b"URN,URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name)\r\n1,1,a,b,c\r\n",
        "appears more than once",
        id="duplicate-column",
    ),
    pytest.param(
        _rows(gias_row("12345x", "Bad URN School")), "Line 3: the URN \u201c12345x\u201d is not a number", id="urn-text"
    ),
    pytest.param(_rows(gias_row("", "No URN School")), "Line 3: the URN is missing", id="urn-missing"),
    pytest.param(_rows(gias_row("-123456", "Negative School")), "is not a number", id="urn-negative"),
    pytest.param(
        _rows(gias_row("12345", "Short URN School")), "Line 3: the URN 12345 is not a 6-digit number", id="urn-short"
    ),
    pytest.param(_rows(gias_row("99999999999999999999", "Huge")), "is not a 6-digit number", id="urn-huge"),
    pytest.param(
        _rows(gias_row("\u0661\u0662\u0663\u0664\u0665\u0666", "Arabic digits")),
        "is not a number",
        id="urn-unicode-digits",
    ),
    pytest.param(
        _rows(gias_row("111111", "Duplicate School")), "Line 3: the URN 111111 is also on line 2", id="urn-duplicate"
    ),
    pytest.param(
        _rows(gias_row("222222", "")), "Line 3: the school name (EstablishmentName) is empty", id="name-empty"
    ),
    pytest.param(_rows(gias_row("222222", "   ")), "the school name (EstablishmentName) is empty", id="name-blank"),
    pytest.param(_rows(gias_row("222222", "x" * 201)), "the name is longer than 200 characters", id="name-long"),
    pytest.param(
        _rows(gias_row("222222", "Oak", Postcode="EX1 1AA EX1 1AA")),
        "the postcode is longer than 10",
        id="postcode-long",
    ),
    pytest.param(
        _rows(gias_row("222222", "Oak", phase="Sixth form")),
        "the phase \u201cSixth form\u201d is not a phase",
        id="phase-unknown",
    ),
    pytest.param(_rows(gias_row("222222", "Oak", phase="")), "the phase of education is empty", id="phase-empty"),
    pytest.param(
        _rows(gias_row("222222", "Oak College", phase="Not applicable", kind="Further education")),
        "is not a special school or pupil referral unit",
        id="phase-not-applicable",
    ),
    pytest.param("URN,EstablishmentName\r\n".encode("utf-16"), "UTF-16", id="utf-16"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "Excel workbook", id="xlsx"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel workbook", id="xls"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data", id="png"),
    pytest.param(b"URN,Name\r\n\x81\x8d\x8f\x90\x9d\r\n", "UTF-8 or Windows-1252", id="not-cp1252"),
    pytest.param(b"\xef\xbb\xbfURN,Name\r\n\xe9\r\n", "says it is UTF-8", id="bom-but-latin1"),
    pytest.param(b"URN,Name\x07\x08\x1b\r\n", "control characters", id="control-characters"),
    pytest.param(
        b'URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name)\r\n1,"'
        + b"x" * 200000
        + b'",a,b\r\n',
        "cannot be read as CSV",
        id="field-too-large",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_files_are_rejected_whole_with_a_clear_message(data, message):
    SchoolFactory(urn=111111, name="Before")
    with scopes_disabled():
        audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        _import(data)
    messages = error.value.message_dict["file"]
    assert any(message in m for m in messages), messages
    # Nothing saved: the good row before the bad one did not update the register, nothing was created.
    assert School.objects.get(urn=111111).name == "Before"
    assert School.objects.count() == 1
    with scopes_disabled():
        assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_every_bad_row_is_listed_with_its_line_number():
    rows = [gias_row(111111, "Good"), gias_row("abc", "Bad URN"), gias_row(333333, ""), gias_row(111111, "Again")]
    with pytest.raises(ValidationError) as error:
        _import(csv_bytes(rows))
    messages = error.value.message_dict["file"]
    assert messages[0] == "Nothing was imported: 3 rows of the file have problems"
    assert messages[1:] == [
        "Line 3: the URN \u201cabc\u201d is not a number",
        "Line 4: the school name (EstablishmentName) is empty",
        "Line 5: the URN 111111 is also on line 2",
    ]
    assert not School.objects.exists()


@pytest.mark.django_db
def test_line_numbers_count_lines_of_the_file_including_quoted_line_breaks_and_blank_lines():
    data = (
        b"URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),Street\r\n"
        b'111111,Oak,Community school,Primary,"1 Long\r\nStreet"\r\n'
        b"\r\n"
        b"abc,Ash,Community school,Primary,\r\n"
    )
    with pytest.raises(ValidationError) as error:
        _import(data)
    assert "Line 5: the URN \u201cabc\u201d is not a number" in error.value.message_dict["file"]


@pytest.mark.django_db
def test_a_long_list_of_bad_rows_is_cut_short_with_a_count():
    rows = [gias_row(f"x{i}", f"School {i}") for i in range(130)]
    with pytest.raises(ValidationError) as error:
        _import(csv_bytes(rows))
    messages = error.value.message_dict["file"]
    assert len(messages) == 102 and messages[-1] == "And 30 more rows with problems"


# --- the command line ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_and_prints_what_it_created_updated_and_rejected(capsys):
    call_command("import_gias", str(HOM))
    assert "created 8, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    call_command("import_gias", str(EXETER))
    assert "created 7, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    call_command("import_gias", str(HOM))
    assert "created 0, updated 0, unchanged 8" in capsys.readouterr().out
    assert School.objects.count() == 15


@pytest.mark.django_db
def test_the_command_exits_non_zero_and_lists_the_bad_rows(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([gias_row(111111, "Good"), gias_row("abc", "Bad")]))
    with pytest.raises(CommandError, match="Rejected bad.csv: nothing was imported"):
        call_command("import_gias", str(bad))
    assert "Line 3: the URN \u201cabc\u201d is not a number" in capsys.readouterr().err
    assert not School.objects.exists()


@pytest.mark.django_db
def test_the_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gias", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_gias", str(tmp_path))
