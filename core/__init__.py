"""Machinery every app of the site uses, owned by none of them.

- `core.caching` and `core.pagecache`: validators, 304s and the shared page cache of
  the public pages (whatever app serves them);
- `core.history`: the admin's revision history with a compare page and restores;
- `core.spreadsheets`: admin spreadsheets that cannot carry a formula, and
  django-import-export resources and widgets the apps' sheets are built from.

Nothing here imports an app: what the cache needs to know of the content (when the
newest public thing changed, when the next one goes live) it asks through the
`PUBLIC_SCHEDULE` setting.
"""
