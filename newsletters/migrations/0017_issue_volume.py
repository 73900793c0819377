"""Issue.volume: issue numbers start again in every volume of many archives.

Issues imported before it kept their volume in the title only ("The Courier — Vol. 4,
Issue 2", "Вестник — Том 4, № 2", as the importer titles them): it is read back from
there, so a re-import of such a file finds its issue again.
"""

import re

from django.db import migrations, models

_TITLED = re.compile(r" — (?:Vol\. |Том )([IVXLC]{1,6}|\d{1,3}), (?:Issue |№ )(\d{1,6})$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _arabic(volume: str) -> str:
    if volume.isdigit():
        return str(int(volume))
    values = [_ROMAN[c] for c in volume]
    return str(
        sum(-v if k + 1 < len(values) and values[k + 1] > v else v for k, v in enumerate(values))
    )


def volumes_from_titles(apps, schema_editor):
    Issue = apps.get_model("newsletters", "Issue")
    for issue in Issue.objects.filter(number__isnull=False, title__contains=" — ").only(
        "pk", "title", "number"
    ):
        found = _TITLED.search(issue.title)
        if found and int(found.group(2)) == issue.number:
            Issue.objects.filter(pk=issue.pk).update(volume=_arabic(found.group(1)))


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0016_story_search_vector_inline"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="issue",
            name="issue_unique_number_in_series",
        ),
        migrations.AddField(
            model_name="historicalissue",
            name="volume",
            field=models.CharField(
                blank=True,
                help_text="The volume the issue belongs to, if its series numbers issues per volume.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="issue",
            name="volume",
            field=models.CharField(
                blank=True,
                help_text="The volume the issue belongs to, if its series numbers issues per volume.",
                max_length=20,
            ),
        ),
        migrations.RunPython(volumes_from_titles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="issue",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", False)),
                fields=("series", "volume", "number"),
                name="issue_unique_number_in_volume",
                violation_error_message="This series already has an issue with this number and volume.",
            ),
        ),
    ]
