"""The publication: series, issues, sections, stories, photos and key figures."""
