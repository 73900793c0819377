"""A newsletter forwarded by e-mail (forwarded.py) and the confidentiality notice under it
(boilerplate.py): each rule on a few lines. The whole file is
tests/fixtures/archive_styles/steppe_bridge_forwarded.txt."""

import datetime

import pytest

from newsletters.importing import parser as p

MASTHEAD = "STEPPE BRIDGE UPDATE\nNo. 9, April 2023\n\n"
STORY = ("Mobile teams reach remote districts\nTwo mobile teams travelled to Zhambyl and "
         "Turkistan regions in March and met 410 seasonal workers at bus stations.\n")
NOTE = ("Dear colleagues,\n\nPlease find below the ninth Steppe Bridge Update.\n\n"
        "Best regards,\nCommunications Unit\n\n")
OUTLOOK = ("From: Communications Unit <comms@example.org>\nSent: Tuesday, 4 April 2023 09:12\n"
           "To: Partners list\nSubject: FW: Steppe Bridge Update No. 9 (April 2023)\n\n")


def _reasons(issue):
    return [(d.line, d.reason) for d in issue.dropped]


def _stories(issue):
    return [st.title for s in issue.sections for st in s.stories]


def _check_newsletter(issue):
    assert (issue.series, issue.number) == ("Steppe Bridge Update", 9)
    assert (issue.date, issue.date_precision) == (datetime.date(2023, 4, 1), "month")
    assert _stories(issue) == ["Mobile teams reach remote districts"]
    assert not [d for d in issue.dropped if d.reason == p.NOT_PLACED]


def test_outlook_cover_note_over_original_message():
    issue = p.parse(OUTLOOK + NOTE + "-----Original Message-----\n\n" + MASTHEAD + STORY)
    _check_newsletter(issue)
    assert [r for _, r in _reasons(issue)] == ["e-mail cover note"] * 9 + ["masthead"] * 2


@pytest.mark.parametrize("separator", [
    "---------- Forwarded message ---------",
    "Begin forwarded message:",
])
def test_forward_separators_with_the_forwarded_headers(separator):
    text = (f"{NOTE}{separator}\nFrom: Comms <comms@example.org>\nDate: Tue, 4 Apr 2023\n"
            f"Subject: Steppe Bridge Update\nTo: Partners\n\n{MASTHEAD}{STORY}")
    issue = p.parse(text)
    _check_newsletter(issue)
    assert _reasons(issue)[:10] == [
        (1, "e-mail cover note"), (3, "e-mail cover note"), (5, "e-mail cover note"),
        (6, "e-mail cover note"), (8, "e-mail cover note"),
        (9, "e-mail header"), (10, "e-mail header"), (11, "e-mail header"),
        (12, "e-mail header"), (14, "masthead"),
    ]


def test_russian_forward_separator():
    text = ("Добрый день,\n\nпересылаю бюллетень.\n\n-------- Пересылаемое сообщение --------\n"
            "От: Отдел коммуникаций <comms@example.org>\nТема: Бюллетень\n\n"
            f"{MASTHEAD}{STORY}")
    issue = p.parse(text)
    _check_newsletter(issue)
    assert {r for _, r in _reasons(issue)} == {"e-mail cover note", "e-mail header", "masthead"}


def test_quoted_forward_loses_its_quote_marks():
    quoted = "".join(f"> {line}\n" if line else ">\n"
                     for line in (MASTHEAD + STORY).rstrip("\n").split("\n"))
    issue = p.parse("Sharing with you, see below.\n\nOn Tue, 4 Apr 2023 at 09:12, Comms "
                    "<comms@example.org> wrote:\n" + quoted)
    _check_newsletter(issue)
    assert issue.sections[0].stories[0].body.startswith("Two mobile teams")
    assert (6, "markup") in _reasons(issue)  # the ">" line: a quoted blank line


def test_a_subject_line_dates_the_issue_when_the_newsletter_prints_nothing():
    issue = p.parse(OUTLOOK + NOTE + "-----Original Message-----\n\n" + STORY)
    assert (issue.series, issue.number, issue.date) == (
        "Steppe Bridge Update", 9, datetime.date(2023, 4, 1))


def test_a_signed_cover_note_without_separator():
    issue = p.parse(OUTLOOK + NOTE + MASTHEAD + STORY)
    _check_newsletter(issue)
    assert [r for _, r in _reasons(issue)].count("e-mail cover note") == 8


def test_a_directors_letter_is_no_cover_note():
    letter = ("Dear readers,\n\nThis year our teams met more returning workers than ever, "
              "and the shelters stayed open through the winter.\n\nSincerely,\nAnna Lee\n\n")
    issue = p.parse(MASTHEAD + letter + STORY)
    assert not [d for d in issue.dropped if d.reason == "e-mail cover note"]
    assert "the shelters stayed open" in " ".join(
        st.body for s in issue.sections for st in s.stories)


def test_a_separator_under_story_text_is_left_alone():
    text = (MASTHEAD + "Our teams met more workers this month than in any month before.\n\n"
            "-----Original Message-----\n\n" + STORY)
    issue = p.parse(text)
    assert not [d for d in issue.dropped if d.reason == "e-mail cover note"]


def test_a_blockquote_at_the_end_is_no_forward():
    text = MASTHEAD + STORY + "\n> A worker said: the leaflet\n> told me my rights\n> at last.\n"
    issue = p.parse(text)
    assert "> A worker said" in issue.sections[-1].stories[-1].body


@pytest.mark.parametrize("notice", [
    "This e-mail and any attachments are confidential. If you received it by mistake, "
    "please delete it.",
    "The information in this message is intended only for the named recipient.",
    "Это сообщение и любые вложения конфиденциальны. Если вы получили это письмо по ошибке, "
    "удалите его.",
])
def test_an_email_disclaimer_at_the_end_is_dropped(notice):
    issue = p.parse(MASTHEAD + STORY + "\n" + notice + "\n")
    assert [r for _, r in _reasons(issue)][-1] == "e-mail disclaimer"
    assert "confidential" not in issue.sections[0].stories[0].body
    assert issue.confidence == 1.0


def test_a_story_about_confidential_e_mail_keeps_its_text():
    story = ("Hotline counsellors learned how to keep each message confidential and when a "
             "caller's e-mail may be shared with the police. " * 5)
    issue = p.parse(MASTHEAD + STORY + "\n" + story + "\n")
    assert not [d for d in issue.dropped if d.reason == "e-mail disclaimer"]


def test_gmail_address_line_over_a_quote():
    quoted = "".join(f"> {line}\n" if line else ">\n"
                     for line in (MASTHEAD + STORY).rstrip("\n").split("\n"))
    issue = p.parse("Коллеги, добрый день!\n\nПересылаю бюллетень.\n\n"
                    "ср, 12 апр. 2023 г. в 10:05, Пресс-служба <press@example.org>:\n" + quoted)
    _check_newsletter(issue)
    assert [r for _, r in _reasons(issue)][:3] == ["e-mail cover note"] * 3


def test_an_address_line_in_a_story_is_no_separator():
    text = MASTHEAD + STORY + "\nWrite to the team, 24 hours a day, <team@example.org>:\n"
    issue = p.parse(text)
    assert not [d for d in issue.dropped if d.reason == "e-mail cover note"]
