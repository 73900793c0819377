"""Archive importer: reader (bytes -> text), parser (text -> dataclasses), loader (-> models)."""
