"""Search: what it finds, what it hides, how it ranks and highlights, on both databases."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletters.models import Issue, Photo
from newsletters.search import clean_query, render_snippet
from tests.factories import make_issue, make_story
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")


def result_titles(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def test_finds_words_in_titles_bodies_issue_titles_and_captions(client):
    issue = make_issue(title="Spring bulletin")
    make_story(issue, title="Shoemakers of Kostanay", body="A new trade.")
    make_story(issue, title="Training day", body="Border guards learned about referral.")
    captioned = make_story(issue, title="Field visit", body="Nothing to see.")
    Photo.objects.create(story=captioned, caption="Volunteers unloading blankets")
    other = make_issue(title="Harvest edition")
    make_story(other, title="Quiet story", body="Plain text.")

    assert result_titles(client, "shoemakers") == ["Shoemakers of Kostanay"]
    assert result_titles(client, "referral") == ["Training day"]
    assert result_titles(client, "blankets") == ["Field visit"]
    assert result_titles(client, "harvest") == ["Quiet story"]
    assert result_titles(client, "xylophone") == []


def test_all_words_must_match(client):
    issue = make_issue()
    make_story(issue, title="Hotline launched", body="The hotline in Dushanbe answers calls.")
    make_story(issue, title="Hotline anniversary", body="Ten years in Bishkek.")
    assert sorted(result_titles(client, "hotline")) == ["Hotline anniversary", "Hotline launched"]
    assert result_titles(client, "hotline Dushanbe") == ["Hotline launched"]


def test_results_link_to_the_story_permalink_and_its_place_in_the_issue(client):
    issue = make_issue()
    story = make_story(issue, title="Shoemakers of Kostanay", body="Leather and thread.")
    html = client.get("/search/", {"q": "leather"}).content.decode()
    assert f'href="/issues/{issue.slug}/{story.slug}/"' in html
    assert f'href="/issues/{issue.slug}/#story-{story.slug}"' in html
    assert "1 story found for “leather”" in html


def test_drafts_and_scheduled_issues_are_never_searched(client, staff_client):
    import datetime

    from django.utils import timezone

    make_story(make_issue(status=Issue.Status.DRAFT), title="Draft secret", body="zebra")
    later = timezone.now() + datetime.timedelta(days=1)
    make_story(make_issue(go_live_at=later), title="Scheduled secret", body="zebra")
    make_story(make_issue(), title="Public zebra", body="zebra")
    assert result_titles(client, "zebra") == ["Public zebra"]
    # Staff search the public archive too: search is not a preview tool.
    assert result_titles(staff_client, "zebra") == ["Public zebra"]


def test_snippet_highlights_and_escapes_story_text(client):
    make_story(make_issue(), title="Markup", body="Before <b>bold</b> & the word giraffe here.")
    html = client.get("/search/", {"q": "giraffe"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html).group(1)
    assert "<mark>giraffe</mark>" in snippet
    # PostgreSQL's headline drops tags, the fallback escapes them: never raw markup.
    assert "<b>" not in snippet and "bold" in snippet and "&amp; the word" in snippet


def test_render_snippet_only_lets_balanced_markers_through():
    raw = "a \x02<script>\x03 b \x02 c <i>"
    assert render_snippet(raw) == "a <mark>&lt;script&gt;</mark> b  c &lt;i&gt;"


def test_pagination_keeps_the_query(client):
    issue = make_issue()
    for n in range(13):
        make_story(issue, title=f"Otter story {n}", body="otter")
    first = client.get("/search/", {"q": "otter"}).content.decode()
    assert len(re.findall(r'<h2><a href="', first)) == 10
    assert 'href="?q=otter&amp;page=2"' in first
    assert len(result_titles(client, "otter", page=2)) == 3
    assert client.get("/search/", {"q": "otter", "page": 3}).status_code == 404


def test_empty_and_wordless_queries_show_the_form(client):
    make_story(make_issue(), title="Anything")
    for q in ("", "   ", "!!! ---"):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert 'id="search-q"' in response.content.decode()
        assert result_titles(client, q) == []


def test_query_is_capped_and_cleaned():
    assert len(clean_query("a" * 10_000)) == 200
    assert clean_query("  two\x00\n words ") == "two words"


def test_search_query_count_is_constant(client):
    from newsletters.search import rum_index_exists

    # The once-per-process look-up of the RUM index (PostgreSQL) is not a per-search cost.
    if connection.vendor == "postgresql":
        rum_index_exists()

    issue = make_issue()
    make_story(issue, title="Needle one", body="needle")
    small = count_queries(client, "/search/", {"q": "needle"})
    for n in range(3):
        other = make_issue()
        for m in range(8):
            story = make_story(other, title=f"Needle {n}.{m}", body="needle in hay")
            Photo.objects.create(story=story, caption="needle photo")
    assert count_queries(client, "/search/", {"q": "needle"}) == small
    assert small <= 6


@on_postgres
def test_postgres_ranks_title_matches_above_body_and_caption_matches(client):
    issue = make_issue()
    captioned = make_story(issue, title="Photo story", body="Nothing here.")
    Photo.objects.create(story=captioned, caption="A lighthouse at dusk")
    make_story(issue, title="Other", body="We visited the lighthouse on Tuesday.")
    make_story(issue, title="The lighthouse keepers", body="A story about keepers.")
    assert result_titles(client, "lighthouse") == ["The lighthouse keepers", "Other", "Photo story"]


@on_postgres
def test_postgres_uses_stemming_and_headline(client):
    make_story(make_issue(), title="Trainings", body="Officers were trained in identification.")
    html = client.get("/search/", {"q": "training"}).content.decode()
    assert "Trainings" in html
    assert "<mark>trained</mark>" in html


@on_postgres
def test_postgres_match_sources_can_use_their_gin_indexes():
    # Each source of newsletters.search.RANKED_SQL, with its WHERE clause as written
    # there: on a few rows the planner would start from the issues instead.
    from newsletters.search import QUERY_SQL, RANKED_SQL, TITLE_VECTOR_SQL

    make_story(make_issue(), title="Indexed", body="words")
    sources = {
        "newsletters_story_search_vector_gin": "s.search_vector",
        "newsletters_story_title_search_gin": TITLE_VECTOR_SQL,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Where migration 0007 built the RUM index, it ties with GIN on a few rows; the
        # GIN path is what this test is about (dropped in the test's transaction only).
        cursor.execute("DROP INDEX IF EXISTS newsletters_story_search_vector_rum")
        for index, vector in sources.items():
            assert f"{vector} @@ {QUERY_SQL}" in RANKED_SQL
            sql = f"EXPLAIN SELECT 1 FROM newsletters_story s WHERE {vector} @@ {QUERY_SQL}"  # noqa: S608
            cursor.execute(sql, {"q": "words"})
            assert index in "\n".join(row[0] for row in cursor.fetchall())


def stored_vector(story) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM newsletters_story WHERE id = %s", [story.pk]
        )
        return cursor.fetchone()[0]


@on_postgres
def test_postgres_stored_vector_follows_title_and_body_changes():
    story = make_story(make_issue(), title="Pelicans", body="A colony of flamingos.")
    assert "'pelican':1A" in stored_vector(story) and "'flamingo'" in stored_vector(story)
    story.title, story.body = "Herons", "Storks nesting."
    story.save()
    assert "'heron':1A" in stored_vector(story) and "'stork'" in stored_vector(story)
    assert "pelican" not in stored_vector(story) and "flamingo" not in stored_vector(story)


@on_postgres
def test_postgres_stored_vector_follows_captions_through_every_kind_of_write():
    story = make_story(make_issue(), title="Wetlands", body="Reeds.")
    other = make_story(story.issue, title="Desert", body="Sand.")
    photo = Photo.objects.create(story=story, caption="Cormorants drying their wings")
    assert re.search(r"'cormor':\d+C\b", stored_vector(story))  # caption words weigh C
    photo.caption = "Egrets at dawn"
    photo.save()
    assert "'egret'" in stored_vector(story) and "cormor" not in stored_vector(story)
    # Bulk writes skip Django's signals; the triggers still run.
    Photo.objects.filter(pk=photo.pk).update(caption="Ibises")
    assert "'ibis'" in stored_vector(story) and "egret" not in stored_vector(story)
    Photo.objects.filter(pk=photo.pk).update(story=other)
    assert "ibis" not in stored_vector(story) and "'ibis'" in stored_vector(other)
    Photo.objects.bulk_create([Photo(story=story, caption="Flamingo flock")])
    assert "'flamingo'" in stored_vector(story)
    Photo.objects.filter(story=story).delete()
    assert "flamingo" not in stored_vector(story)
    assert "'reed':2B" in stored_vector(story) and "'wetland':1A" in stored_vector(story)
    assert not re.search(r"\d+C\b", stored_vector(story))  # no caption word is left


@on_postgres
def test_postgres_stored_vector_follows_the_issue_title():
    from newsletters.search import search_stories

    issue = make_issue(title="Spring bulletin")
    story = make_story(issue, title="Wetlands", body="Reeds.")
    assert [s.title for s in search_stories("spring")] == ["Wetlands"]
    # A bulk update, which no Django signal sees: the trigger on the issue does.
    Issue.objects.filter(pk=issue.pk).update(title="Autumn bulletin")
    assert "'autumn':" in stored_vector(story) and "spring" not in stored_vector(story)
    assert list(search_stories("spring")) == []
    assert [s.title for s in search_stories("autumn")] == ["Wetlands"]


@on_postgres
def test_postgres_words_may_be_spread_over_title_body_caption_and_issue_title(client):
    issue = make_issue(title="Highland bulletin")
    story = make_story(issue, title="Shepherds", body="Flocks in the valley.")
    Photo.objects.create(story=story, caption="A yurt at sunset")
    make_story(issue, title="Shepherds elsewhere", body="No tents here.")
    assert result_titles(client, "shepherds valley yurt highland") == ["Shepherds"]


@on_postgres
def test_postgres_ranks_a_title_match_above_body_matches(client):
    issue = make_issue()
    make_story(issue, title="Other", body="Walrus walrus walrus, the walrus again.")
    make_story(issue, title="Walrus", body="Nothing else.")
    assert result_titles(client, "walrus") == ["Walrus", "Other"]


@on_postgres
def test_postgres_caps_broad_searches_and_says_so(client, monkeypatch):
    from newsletters import search

    monkeypatch.setattr(search, "RESULT_CAP", 5)
    issue = make_issue()
    for n in range(4):
        make_story(issue, title=f"Body only {n}", body="penguin")
    for n in range(4):
        make_story(issue, title=f"Penguin {n}", body="Walking.")
    html = client.get("/search/", {"q": "penguin"}).content.decode()
    assert "More than 5 stories found for “penguin”: 5 of them are ranked here" in html
    titles = result_titles(client, "penguin")
    assert len(titles) == 5
    # Title matches are taken first when the candidates are cut, then the other matches
    # in id order (newsletters.search.GIN_MATCHES_SQL).
    assert sorted(titles[:4]) == [f"Penguin {n}" for n in range(4)]
    assert titles[4] == "Body only 0"
    exact = client.get("/search/", {"q": "walking"}).content.decode()
    assert "4 stories found for “walking”" in exact and "More than" not in exact


@pytest.fixture
def rum():
    """Skips unless the server has the rum extension (Debian: postgresql-15-rum)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            pytest.skip("rum extension not installed")


def phrase_stories():
    issue = make_issue(title="Autumn bulletin")
    make_story(issue, title="Adjacent", body="The national referral mechanism works well.")
    make_story(issue, title="Reversed", body="A mechanism for referral, not the other way.")
    make_story(issue, title="Apart", body="Referral needs a new mechanism.")
    make_story(issue, title="Referral mechanism in the title", body="Nothing else.")
    captioned = make_story(issue, title="Captioned", body="A photo story.")
    Photo.objects.create(story=captioned, caption="Training on the referral mechanism")
    make_story(issue, title="Hyphen", body="A well-known shelter for returning families.")
    make_story(issue, title="Known well", body="Known as well as the shelter.")


def use_paths(monkeypatch, path: str) -> None:
    """Make newsletters.search take one path for phrases: its choice, RUM or GIN."""
    from newsletters import search

    if path in ("rum", "gin"):
        monkeypatch.setattr(search, "required_pairs", lambda text: None)
    if path == "gin":
        monkeypatch.setattr(search, "rum_index_exists", lambda *args: False)


@on_postgres
@pytest.mark.parametrize("path", ["detected", "rum", "gin"])
def test_postgres_phrase_finds_only_adjacent_words_in_order(client, monkeypatch, path):
    from newsletters import search

    if path == "rum" and not search.rum_index_exists():
        pytest.skip("rum extension not installed")
    use_paths(monkeypatch, path)
    phrase_stories()
    assert sorted(result_titles(client, '"referral mechanism"')) == [
        "Adjacent", "Captioned", "Referral mechanism in the title",
    ]  # fmt: skip
    assert result_titles(client, "well-known") == ["Hyphen"]
    assert sorted(result_titles(client, "referral mechanism")) == [
        "Adjacent", "Apart", "Captioned", "Referral mechanism in the title", "Reversed",
    ]  # fmt: skip


@on_postgres
def test_postgres_rum_index_exists_after_migrate(rum):
    from newsletters.search import RUM_INDEX, rum_index_exists

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
        (definition,) = cursor.fetchone()
    assert "USING rum (search_vector)" in definition  # rum_tsvector_ops: the default
    assert rum_index_exists()


@on_postgres
def test_postgres_word_pairs_are_the_neighbouring_lexemes_of_the_document():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT newsletters_word_pairs(to_tsvector('english', %s))::text",
            ["The referral mechanism works; a well-known mechanism."],
        )
        (pairs,) = cursor.fetchone()
        cursor.execute("SELECT newsletters_word_pairs(''::tsvector)::text")
        assert cursor.fetchone() == ("",)
    # "The" and "a" are stop words: they leave gaps, and no pair across them ("work" and
    # "well-known" are not neighbours). A hyphenated word is itself and its two parts.
    assert pairs == (
        "'known mechan' 'mechan work' 'referr mechan' 'well known' 'well-known well'"
    )


@on_postgres
def test_postgres_a_story_with_two_long_neighbouring_words_is_saved_and_found():
    from newsletters.search import search_stories

    long_a, long_b = "a" * 1100, "b" * 1100  # together longer than any lexeme may be
    story = make_story(make_issue(), title="Long words", body=f"{long_a} {long_b} plain words.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM newsletters_story, unnest(newsletters_word_pairs(search_vector)) p "
            "WHERE id = %s",
            [story.pk],
        )
        pairs = {row[0][0] for row in cursor.fetchall()}
    # Every pair but the one too long to store (the title's last word meets the body's first).
    assert {"long word", f"word {long_a}", f"{long_b} plain", "plain word"} <= pairs
    assert f"{long_a} {long_b}" not in pairs
    assert max(len(pair) for pair in pairs) < 2047
    assert [s.title for s in search_stories('"plain words"')] == ["Long words"]


@on_postgres
def test_postgres_each_kind_of_query_reads_its_index(rum):
    from newsletters.search import RUM_INDEX, search_stories

    indexes = ["newsletters_story_word_pairs_gin", RUM_INDEX]

    def scans() -> list[int]:
        # Index scans so far in this (the test's) transaction.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_numscans(name::regclass) FROM unnest(%s::text[]) name",
                [indexes],
            )
            return [row[0] for row in cursor.fetchall()]

    def scans_for(q: str, expected_count: int) -> list[int]:
        before = scans()
        assert len(search_stories(q)) == expected_count
        return [after - was for after, was in zip(scans(), before, strict=True)]

    phrase_stories()
    make_story(make_issue(), title="Gap", body="A referral of mechanisms.")
    with connection.cursor() as cursor:
        # On a few rows the planner would rather read the whole table than any index.
        cursor.execute("SET LOCAL enable_seqscan = off")
    # Pairs index, RUM index.
    assert scans_for('"referral mechanism"', 3) == [1, 0]
    assert scans_for("well-known", 1) == [1, 0]
    # A stop word leaves a gap in the phrase ('referr' <2> 'mechan'): no pair to look up.
    assert scans_for('"referral the mechanism"', 1) == [0, 1]
    assert scans_for("referral mechanism", 6) == [0, 0]  # plain words: neither index


@on_postgres
def test_postgres_pairs_rum_and_gin_paths_give_the_same_results(rum, monkeypatch):
    # search_stories, not the page: the page cache would answer the second path.
    from newsletters.search import search_stories

    phrase_stories()
    for n in range(3):
        make_story(make_issue(title=f"Issue {n} on shelters"), title=f"Mechanism {n}",
                   body="Referral, then the mechanism: a shelter for families.")  # fmt: skip
    queries = ['"referral mechanism"', "referral mechanism", "well-known", "shelter",
               "families shelter", '"returning families" shelter', "autumn", "xylophone",
               '"referral the mechanism"', '"referral mechanism" or "well-known"',
               '-"referral mechanism" shelter', "the"]  # fmt: skip
    results = {}
    for path in ("detected", "rum", "gin"):
        with monkeypatch.context() as patched:
            use_paths(patched, path)
            results[path] = {q: [s.title for s in search_stories(q)] for q in queries}
    assert results["detected"] == results["rum"] == results["gin"]
    found = results["detected"]
    phrase = {"Adjacent", "Captioned", "Referral mechanism in the title"}
    assert set(found['"referral mechanism"']) == phrase
    assert set(found['"referral mechanism" or "well-known"']) == phrase | {"Hyphen"}
    assert set(found['-"referral mechanism" shelter']) == {
        "Hyphen", "Known well", "Mechanism 0", "Mechanism 1", "Mechanism 2",
    }  # fmt: skip
    assert found["the"] == [] and found["xylophone"] == []


@on_postgres
def test_postgres_ranked_stories_behave_as_a_sequence_read_a_page_at_a_time():
    from newsletters.search import search_stories

    issue = make_issue()
    for n in range(5):
        make_story(issue, title=f"Lantern {n}", body="lantern " * (n + 1))
    results = search_stories("lantern")
    assert len(results) == 5 and results.more_than is None
    with CaptureQueriesContext(connection) as ctx:
        everything = [story.title for story in results]
        assert results[-1].title == everything[-1] and results[0].title == everything[0]
        assert [story.title for story in results[1:3]] == everything[1:3]
    assert len(ctx.captured_queries) == 4  # the whole list, two items and a slice
    # More repetitions of the word rank higher (ts_rank counts them).
    assert everything == ["Lantern 4", "Lantern 3", "Lantern 2", "Lantern 1", "Lantern 0"]
    with pytest.raises(IndexError):
        results[5]
    with pytest.raises(IndexError):
        results[-6]
    # A story unpublished after the ranking is left out of the page, not shown.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    assert results[0:3] == []


@on_sqlite
def test_sqlite_fallback_is_case_insensitive_and_newest_first(client):
    make_story(make_issue(number=1, title="Old"), title="Early Tulips", body="tulips")
    make_story(make_issue(number=2, title="New"), title="Late tulips", body="TULIPS")
    assert result_titles(client, "TuLiPs") == ["Late tulips", "Early Tulips"]
    html = client.get("/search/", {"q": "tulips"}).content.decode()
    assert "<mark>TULIPS</mark>" in html


@on_postgres
def test_postgres_search_page_counts_results_without_a_count_query(client):
    issue = make_issue()
    for n in range(12):
        make_story(issue, title=f"Orchard harvest {n}", body="Apricots and walnuts.")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", {"q": "orchard", "page": 2})
    assert response.status_code == 200
    assert response.context["paginator"].count == 12
    assert len(response.context["results"]) == 2
    # The ranking statement counts its own bounded matches; Paginator adds no COUNT query.
    sqls = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
    assert not [sql for sql in sqls if sql.startswith("SELECT COUNT(")]


@on_postgres
def test_postgres_search_document_stays_in_the_story_row():
    # Migration 0016: the document is not moved to the TOAST table (MAIN storage), and
    # bodies leave a row over 2 KB first (toast_tuple_target), so ranking reads rows only.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attstorage, c.reloptions FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname = 'newsletters_story' AND a.attname = 'search_vector'"
        )
        storage, options = cursor.fetchone()
    assert storage == "m"
    assert "toast_tuple_target=128" in options
    # A row well over 2 KB is written, and its document is whole and found.
    words = " ".join(f"word{n}x" for n in range(600))
    story = make_story(make_issue(), title="Long story", body=f"{words} kingfisher")
    assert "'kingfish':" in stored_vector(story) and "'word599x':" in stored_vector(story)
    from newsletters.search import search_stories

    assert [s.title for s in search_stories("kingfisher")] == ["Long story"]


@on_postgres
def test_postgres_plain_words_are_ranked_in_one_statement():
    from newsletters.search import ranked_ids

    issue = make_issue()
    make_story(issue, title="Kazakh lanterns", body="Lanterns of Almaty 2021.")
    make_story(issue, title="Lantern-makers", body="Workshops.")

    def statements(q: str) -> tuple[int, list]:
        with CaptureQueriesContext(connection) as ctx:
            ids, more = ranked_ids(q, 10)
        assert more is False
        return len(ctx.captured_queries), ids

    # Letters and digits only: no phrase is possible, so nothing is asked beforehand.
    assert statements("lanterns almaty 2021")[0] == 1
    assert statements("the")[0] == 1 and statements("the")[1] == []
    # A hyphen may make a phrase: PostgreSQL reads the query first.
    count, ids = statements("lantern-makers")
    assert count == 2 and len(ids) == 1
