"""Hardening (issue 15): photos and covers validated, re-encoded without metadata, under
random names (the images already stored are re-encoded the same way); a story body's
length is limited."""

import newsletters.images
import newsletters.markdown
from django.db import migrations, models


def strip_stored_images(apps, schema_editor):
    """Re-encode every stored photo and cover without its metadata, under a new random
    name, with new renditions; the old files are deleted once this commits. A stored
    file that is not a JPEG, PNG or WebP (covers were not checked before) is removed
    from its issue and reported, rather than kept online."""
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from newsletters.images import delete_after_commit, make_renditions, rendition_names

    def reencode(row, field):
        file = getattr(row, field)
        old = file.name
        try:
            with file.storage.open(old, "rb") as fh:
                data = fh.read()
        except OSError:
            print(f"\n  {old}: missing from storage, left as it is")
            return None
        try:
            file.save("image", ContentFile(data), save=False)
        except ValidationError as exc:
            print(f"\n  {old}: {' '.join(exc.messages)} Removed from {row._meta.model_name} {row.pk}.")
            setattr(row, field, "")
        delete_after_commit(file.storage, [old])
        return file

    Photo = apps.get_model("newsletters", "Photo")
    for photo in Photo.objects.exclude(image="").order_by("pk").iterator(chunk_size=200):
        old_renditions = rendition_names(photo.renditions)
        if reencode(photo, "image") is None:
            continue
        delete_after_commit(photo.image.storage, old_renditions)
        if not photo.image and not photo.caption:
            photo.delete()  # a photo needs an image or a caption
            continue
        photo.renditions = make_renditions(photo.image) if photo.image else {}
        photo.save(update_fields=["image", "renditions"])

    Issue = apps.get_model("newsletters", "Issue")
    for issue in Issue.objects.exclude(cover_image="").order_by("pk").iterator(chunk_size=200):
        if reencode(issue, "cover_image") is not None:
            issue.save(update_fields=["cover_image"])


class Migration(migrations.Migration):

    dependencies = [
        ('newsletters', '0010_issue_unique_source_hash'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalissue',
            name='cover_image',
            field=models.TextField(blank=True, max_length=100, validators=[newsletters.images.validate_photo]),
        ),
        migrations.AlterField(
            model_name='issue',
            name='cover_image',
            field=newsletters.images.CleanImageField(blank=True, upload_to=newsletters.images.UnguessableName('covers')),
        ),
        migrations.AlterField(
            model_name='photo',
            name='image',
            field=newsletters.images.CleanImageField(blank=True, help_text='Imported archive photos may have a caption only, until an image is added.', upload_to=newsletters.images.UnguessableName('photos')),
        ),
        migrations.AlterField(
            model_name='historicalstory',
            name='body',
            field=models.TextField(blank=True, validators=[newsletters.markdown.validate_body_length], verbose_name='body (Markdown)'),
        ),
        migrations.AlterField(
            model_name='story',
            name='body',
            field=models.TextField(blank=True, validators=[newsletters.markdown.validate_body_length], verbose_name='body (Markdown)'),
        ),
        migrations.RunPython(strip_stored_images, migrations.RunPython.noop),
    ]
