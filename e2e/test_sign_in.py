"""Signing in and out in a real browser, with the keyboard; the pages pass axe-core."""

import re

from playwright.sync_api import expect

from backend.services.accounts import users
from e2e.conftest import PASSWORD, check_accessibility, sign_in
from tests.mailserver import link_in


def test_sign_in_and_out_with_the_keyboard(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_accessibility(page, "sign-in")
    sign_in(page, "admin@firm.test")
    check_accessibility(page, "organisations")
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_explained(page):
    page.goto("/sign-in")
    page.get_by_label("Email").fill("admin@firm.test")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The email or password is wrong")
    expect(page.get_by_label("Email")).to_have_value("admin@firm.test")
    # What to do about a forgotten password is one link away.
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1, name="Forgot your password?")).to_be_focused()
    expect(page.locator("main")).to_contain_text("Type the e-mail address you sign in with")
    check_accessibility(page, "forgot-password")
    page.get_by_role("link", name="Back to sign in").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()


def test_the_account_page_makes_a_token(page):
    sign_in(page, "lead@firm.test")
    page.get_by_role("link", name="Account").click()
    page.get_by_label("What is it for?").fill("spreadsheet sync")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("Copy it now")
    expect(page.get_by_label("Your new token")).to_have_value(re.compile(r"^tw_"))
    check_accessibility(page, "account")


def test_a_forgotten_password_is_reset_from_the_link_mailed_with_the_keyboard(page, server):
    email = "forgetful@northwind.test"
    ctx = server.context()
    try:
        users.create_user(ctx, users.UserCreate(email=email, role="member", password=PASSWORD))
    finally:
        ctx.db.dispose()
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Email").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("a link to choose a new password is on its way")
    check_accessibility(page, "forgot-password-sent")
    (mail,) = server.inbox.to(email, 1)
    page.goto(link_in(mail, "/reset/"))
    expect(page.get_by_role("heading", level=1, name="Choose a new password")).to_be_visible()
    check_accessibility(page, "reset-password")
    page.get_by_label("New password").fill("correct horse battery staple")
    page.get_by_label("The same password again").fill("correct horse battery staple")
    page.get_by_label("The same password again").press("Enter")
    expect(page.locator(".who")).to_have_text(email)
    (changed,) = [m for m in server.inbox.to(email, 2) if "changed" in m["Subject"]]
    assert changed["Subject"] == "Your Tribewise password was changed"
