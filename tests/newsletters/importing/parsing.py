"""What the short-string parser tests share: a running header the parser knows, a
sentence long enough to be a story's text, and the titles of a result."""

HEADER = "MEADOWLAND GAZETTE, ISSUE 4, 01/03/2021"
STORY = ("The choir met in the village hall every Thursday and sang for the families "
         "who came to the harvest market.")


def section_titles(issue) -> list[tuple[str, list[str]]]:
    """(section title, [story titles]) for each section of a parsed issue."""
    return [(s.title, [st.title for st in s.stories]) for s in issue.sections]
