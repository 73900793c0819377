"""Commands: import_newsletters (archive import) and load_demo (the demo site)."""
