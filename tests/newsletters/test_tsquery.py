"""newsletters.tsquery: which word pairs a phrase query requires, read from tsquery text."""

import pytest

from newsletters.tsquery import pairs_query, required_pairs


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("'referr' <-> 'mechan'", ["referr mechan"]),
        ("'return' <-> 'famili' & 'shelter'", ["return famili"]),
        ("'well-known' <-> 'well' <-> 'known'", ["well-known well", "well known"]),
        ("'a' <-> 'b' & 'c' <-> 'a' <-> 'b'", ["a b", "c a"]),
        ("'o''brien' <-> 'x'", ["o'brien x"]),
        ("'back\\\\slash' <-> 'x'", ["back\\slash x"]),
    ],
)
def test_pairs_of_each_phrase_in_a_conjunction(text, pairs):
    assert required_pairs(text) == pairs


@pytest.mark.parametrize(
    "text",
    [
        "",  # only stop words
        "'hotlin'",  # a word, no phrase
        "'border' & 'offic' & 'train'",
        "'referr' <2> 'mechan'",  # a stop word inside the quotes
        "'b' <-> 'c' | 'd'",  # either may match
        "!( 'b' <-> 'c' ) & 'd'",  # the phrase must be absent
        "'a' <-> ( 'b' | 'c' )",
        "'pre':* <-> 'fix'",
        "'weight':A <-> 'ed'",
        "'a' <-> ",  # not as PostgreSQL prints a tsquery
        "'a' 'b'",
        "'unterminated <-> 'x'",
    ],
)
def test_no_pair_is_required_unless_certain(text):
    assert required_pairs(text) is None


def test_pairs_query_quotes_each_pair_as_one_lexeme():
    assert pairs_query(["referr mechan"]) == "'referr mechan'"
    assert pairs_query(["o'brien x", "a\\b c"]) == "'o''brien x' & 'a\\\\b c'"
    # Read back, a quoted lexeme is the same string: the two functions agree on quoting.
    text = pairs_query(["o'brien", "a\\b"]).replace(" & ", " <-> ")
    assert required_pairs(text) == ["o'brien a\\b"]


def test_a_pair_too_long_to_be_stored_is_never_required():
    long_a, long_b = "a" * 1100, "b" * 1100  # each a valid lexeme, together too long
    assert required_pairs(f"'{long_a}' <-> '{long_b}'") is None
    assert required_pairs(f"'{long_a}' <-> '{long_b}' <-> 'c'") == [f"{long_b} c"]
