"""Acting as a browser: sign in through the form, read the CSRF token pages carry."""

from __future__ import annotations

import re
from contextlib import contextmanager

from litestar.testing import TestClient

from backend.services.accounts import users
from tests.integration.conftest import BASE

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _TOKEN.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def make_user(
    ctx, email: str, role: str = "member", organisation_id: int | None = None, member_role: str = "member"
) -> int:
    """A user with PASSWORD, optionally a member of an organisation."""
    from backend.services.organisations.members import MemberCreate, add_member

    user = users.create_user(ctx, users.UserCreate(email=email, role=role, password=PASSWORD))
    if organisation_id is not None:
        add_member(ctx, organisation_id, MemberCreate(email=email, role=member_role))
    return user.id


def sign_in(browser: TestClient, email: str, password: str = PASSWORD):
    """Fill in and send the sign-in form; returns the response (303 on success)."""
    token = csrf_of(browser.get("/sign-in").text)
    return browser.post(
        "/sign-in", data={"email": email, "password": password, "_csrf_token": token}, follow_redirects=False
    )


@contextmanager
def browser(app, email: str | None = None, password: str = PASSWORD):
    """A client with a cookie jar, signed in through the form when an email is given."""
    with TestClient(app=app, base_url=BASE) as client:
        if email is not None:
            response = sign_in(client, email, password)
            assert response.status_code == 303, response.text
        yield client


def page_token(client: TestClient, path: str = "/account") -> str:
    """The CSRF token of the signed-in session, as a page shows it."""
    return csrf_of(client.get(path).text)
