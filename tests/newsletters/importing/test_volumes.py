"""Issue 2 of volume 4 is not written over issue 2 of volume 1 (issues are stored by
series and number; the volume is in the title): the second file is refused, with the
way out, and nothing of it is written (decide._other_volume)."""

import pytest

from newsletters.importing.loader import import_sources
from newsletters.models import Issue

pytestmark = pytest.mark.django_db

STORY = (
    "Twelve ferry crews learned how to spot passengers who travel against their will, and "
    "whom to call when they do. The course ran for two days at the river port in spring."
)
COURIER = """THE RIVERBANK COURIER
Volume {volume}, Number 2 | March {year}


NEWS FROM THE RIVER


Ferry crews trained

{story}

Market stalls inform travellers

{story}
"""


@pytest.fixture
def courier(tmp_path):
    def write(name, volume, year, story=STORY):
        path = tmp_path / name
        path.write_text(COURIER.format(volume=volume, year=year, story=story), "utf-8")
        return path

    return write


def run(*paths, **options):
    return [(r.outcome, r.result.message if r.result else r.error)
            for r in import_sources(paths, **options)]


def test_another_volumes_issue_of_the_same_number_is_refused(courier, counts):
    (first,) = run(courier("v1.txt", 1, 2021))
    assert first[0] == "created"
    before = counts()
    ((outcome, message),) = run(courier("v4.txt", 4, 2024))
    assert outcome == "refused"
    assert message == (
        "refused: this file is volume 4, number 2 (“The Riverbank Courier — Vol. 4, "
        "Issue 2”), and “The Riverbank Courier — Vol. 1, Issue 2” (The Riverbank Courier "
        "no. 2) is stored as number 2 of the series; not replaced without --replace. "
        "Another volume's issue needs a number of its own: --number, or a series: --series"
    )
    assert counts() == before
    stored = Issue.objects.get()
    assert (stored.title, stored.publication_date.year) == (
        "The Riverbank Courier — Vol. 1, Issue 2", 2021
    )


def test_a_new_version_of_the_same_volume_updates_it(courier):
    run(courier("v1.txt", 1, 2021))
    longer = STORY + " A second course is planned for the autumn."
    assert run(courier("v1-corrected.txt", 1, 2021, story=longer))[0][0] == "updated"
    assert "planned for the autumn" in Issue.objects.get().sections.get().stories.first().body


def test_replace_lets_a_user_say_it_is_the_same_issue(courier):
    run(courier("v1.txt", 1, 2021))
    assert run(courier("v4.txt", 4, 2024), replace=True)[0][0] == "updated"
    assert Issue.objects.get().title == "The Riverbank Courier — Vol. 4, Issue 2"


def test_a_number_of_its_own_keeps_both(courier):
    run(courier("v1.txt", 1, 2021))
    (outcome, _message), = run(courier("v4.txt", 4, 2024), overrides=_number(402))
    assert outcome == "created"
    assert sorted(Issue.objects.values_list("number", flat=True)) == [2, 402]


def _number(n):
    from newsletters.importing.overrides import Overrides

    return Overrides(number=n)
