"""PostgreSQL tsquery text: the word pairs that a phrase query requires.

A quoted phrase becomes a chain of lexemes joined by `<->` ("referral mechanism" is
`'referr' <-> 'mechan'`). Every story that holds the phrase holds each adjacent pair of
its lexemes, so the pairs index of migration 0008 (one entry per pair of neighbouring
words) can find the few stories that may match, and only those are checked for the
phrase itself. `required_pairs` reads the query text that PostgreSQL prints for
`websearch_to_tsquery` and returns those pairs, or None when the query is not a plain
conjunction of words and phrases (OR, NOT, parentheses, a gap such as `<2>` left by a
stop word, a prefix or weight): then no pair is required for certain, and the search
takes another path. `pairs_query` writes the pairs back as tsquery text.

Pure Python, no database: tested with short strings.
"""

import re

# A quoted lexeme as tsquery_out prints it ('' for a quote, \\ for a backslash), with
# an optional :* or weight suffix; an operator; or a parenthesis.
TOKEN_RE = re.compile(r"\s*(?:'((?:[^'\\]|''|\\.)*)'(:[*A-Da-d]+)?|(<->|<\d+>|[&|!()]))")
# The text between two neighbouring words of a stored pair (see migration 0008).
PAIR_SEPARATOR = " "
# PostgreSQL's longest lexeme; migration 0008 stores no longer pair, so none is required.
MAX_LEXEME_BYTES = 2047


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted.replace("''", "'"))


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def required_pairs(tsquery_text: str) -> list[str] | None:
    """The word pairs every match must hold, in query order, or None if none is certain."""
    tokens, position = [], 0
    text = tsquery_text.rstrip()
    while position < len(text):
        match = TOKEN_RE.match(text, position)
        if match is None:
            return None  # not tsquery text as PostgreSQL prints it
        lexeme, suffix, operator = match.groups()
        if suffix or operator not in (None, "&", "<->"):
            return None
        tokens.append(("word", _unquote(lexeme)) if lexeme is not None else ("op", operator))
        position = match.end()
    # What is left must read word (op word)*.
    if not tokens or len(tokens) % 2 == 0:
        return None
    if any(kind != ("word" if i % 2 == 0 else "op") for i, (kind, _) in enumerate(tokens)):
        return None
    pairs: list[str] = []
    for i in range(1, len(tokens), 2):
        if tokens[i][1] == "<->":
            pair = tokens[i - 1][1] + PAIR_SEPARATOR + tokens[i + 1][1]
            if len(pair.encode()) < MAX_LEXEME_BYTES and pair not in pairs:
                pairs.append(pair)
    return pairs or None


def pairs_query(pairs: list[str]) -> str:
    """tsquery text that holds when a document has every one of `pairs`."""
    return " & ".join(_quote(pair) for pair in pairs)
