"""Directory rules: each e-mail, person and hotline number is stored once."""

import pytest
from django.db import IntegrityError, transaction

from directory.models import Country, Hotline, Office, OfficeEmail, Person
from directory.phones import digits_key, tel_href, to_e164
from tests.factories import make_country

pytestmark = pytest.mark.django_db


def test_country_code_upper_and_slug():
    country = Country.objects.create(name="Kyrgyzstan", code="kg")
    assert (country.code, country.slug, str(country)) == ("KG", "kyrgyzstan", "Kyrgyzstan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.filter(pk=country.pk).update(code="K1")


def test_office_email_unique_and_lowercased():
    office = Office.objects.create(country=make_country(), name="Mission")
    OfficeEmail.objects.create(office=office, address="Mission@Example.org")
    assert OfficeEmail.objects.get().address == "mission@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeEmail.objects.create(office=office, address="MISSION@example.org")


def test_person_unique_by_email_case_insensitive_and_by_name_in_country():
    kz = make_country()
    Person.objects.create(name="A. Person", country=kz, email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Other", country=kz, email="A@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="A. Person", country=kz)
    # Several people may have no e-mail.
    Person.objects.create(name="B", country=kz)
    Person.objects.create(name="C", country=kz)
    assert Person.objects.filter(email="").count() == 2


def test_hotline_number_stored_once_whatever_the_spacing():
    tj = make_country("TJ", "Tajikistan")
    hotline = Hotline.objects.create(country=tj, number="+992 900 800 800", note="emergency")
    assert hotline.e164 == "+992900800800"
    assert hotline.tel == "+992900800800"
    with pytest.raises(IntegrityError), transaction.atomic():
        Hotline.objects.create(country=tj, number="+992900800800")


def test_short_hotline_has_no_e164_but_dials():
    kz = make_country()
    hotline = Hotline.objects.create(country=kz, number="11616")
    assert hotline.e164 == ""
    assert hotline.tel == "11616"
    assert str(hotline) == "11616 (KZ)"


@pytest.mark.parametrize(
    "number, country, expected",
    [
        ("+996 312 641364", "KG", "+996312641364"),
        ("8 8000 8000 15", "KZ", "+78000800015"),
        ("+998 71 276 94 44", "UZ", "+998712769444"),
        ("1899", "KG", ""),
        ("not a number", "KZ", ""),
        ("", "KZ", ""),
    ],
)
def test_to_e164(number, country, expected):
    assert to_e164(number, country) == expected


def test_digits_key_and_tel_href():
    assert digits_key("+992 (900) 800-800") == "992900800800"
    assert tel_href("0800 0000189") == "08000000189"
