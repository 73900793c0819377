"""Login throttling behind a reverse proxy (issue 15, item 6).

The attacks: behind the proxy every visitor shares its address, so five wrong passwords
from anyone lock a staff account for everyone; and a client talking to the site
directly sends a made-up X-Forwarded-For with each try to escape the lock.
"""

import pytest
from django.test import Client, RequestFactory

from config.client_ip import client_ip

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def login(client, password, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": password}, **headers
    )


@pytest.mark.django_db
def test_spoofed_header_from_a_direct_client_is_ignored(staff_user):
    attacker = Client()
    for n in range(5):
        response = login(attacker, "wrong", "203.0.113.9", forwarded=f"198.51.100.{n}")
        assert response.status_code == (200 if n < 4 else 429)  # the fifth failure locks
    # Locked by its real address, whatever the header says now.
    assert login(Client(), "pw", "203.0.113.9", forwarded="198.51.100.77").status_code == 429
    # Someone else, directly, is not affected.
    assert login(Client(), "pw", "203.0.113.10").status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_two_clients_are_counted_apart(staff_user):
    for n in range(5):
        response = login(Client(), "wrong", PROXY, forwarded="198.51.100.7")
        assert response.status_code == (200 if n < 4 else 429)
    assert login(Client(), "pw", PROXY, forwarded="198.51.100.7").status_code == 429
    # The real editor, behind the same proxy, still signs in.
    editor = Client()
    assert login(editor, "pw", PROXY, forwarded="198.51.100.8").status_code == 302
    assert "_auth_user_id" in editor.session


@pytest.mark.django_db
def test_behind_the_proxy_a_forged_left_part_does_not_escape_the_lock(staff_user):
    for n in range(5):
        forged = f"192.0.2.{n}, 198.51.100.7"  # the client's own header, then the proxy's
        response = login(Client(), "wrong", PROXY, forwarded=forged)
        assert response.status_code == (200 if n < 4 else 429)
    assert login(Client(), "pw", PROXY, forwarded="192.0.2.99, 198.51.100.7").status_code == 429


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: header ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies in the chain
        (PROXY, "garbage, 198.51.100.1", "198.51.100.1"),
        (PROXY, "198.51.100.1, garbage", PROXY),
        (PROXY, "", PROXY),
        (PROXY, "[2001:db8::1]", "2001:db8::1"),
    ],
)
def test_client_ip(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == PROXY
