"""The two staff roles: Editor and Publisher, as Django groups with their permissions.

Editors prepare issues (issues, sections, stories, photos, key figures, the directory)
but cannot publish; publishers may also publish, unpublish, schedule and delete issues.
The groups are created by migration newsletters/0004_roles; a change to the lists below
needs a new migration that calls `ensure_roles` again.
"""

EDITOR = "Editor"
PUBLISHER = "Publisher"
PUBLISH_PERMISSION = "newsletters.publish_issue"

_CRUD = ("add", "change", "delete", "view")

# (app label, model name) -> actions, for the Editor group.
EDITOR_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("newsletters", "series"): ("add", "change", "view"),
    # No delete: removing a whole issue is a publisher's decision.
    ("newsletters", "issue"): ("add", "change", "view"),
    ("newsletters", "section"): _CRUD,
    ("newsletters", "story"): _CRUD,
    ("newsletters", "photo"): _CRUD,
    ("newsletters", "keyfigure"): _CRUD,
    ("directory", "country"): _CRUD,
    ("directory", "office"): _CRUD,
    ("directory", "officeemail"): _CRUD,
    ("directory", "person"): _CRUD,
    ("directory", "hotline"): _CRUD,
}
PUBLISHER_EXTRA: dict[tuple[str, str], tuple[str, ...]] = {
    ("newsletters", "issue"): ("delete", "publish"),
}


def _codenames(spec):
    for (app_label, model), actions in spec.items():
        for action in actions:
            codename = f"{action}_{model}" if action != "publish" else "publish_issue"
            yield app_label, codename


def ensure_roles(apps, using="default") -> None:
    """Create or update both groups. `apps` is a migration's app registry or django.apps."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after `migrate`; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, using=using, apps=apps)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(spec):
        wanted = set(_codenames(spec))
        found = [
            p
            for p in Permission.objects.using(using).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing for the staff roles: {sorted(missing)}")
        return found

    editor_perms = permissions(EDITOR_PERMISSIONS)
    publisher_perms = editor_perms + permissions(PUBLISHER_EXTRA)
    for name, perms in ((EDITOR, editor_perms), (PUBLISHER, publisher_perms)):
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(perms)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)
