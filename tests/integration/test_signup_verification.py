"""Issue 16, item 2: sign-up proves the address with a one-time link mailed to it before the
account exists or sees anything; an address a contact already holds (as its email or one of its
other emails) claims that contact only through the same proof; staff addresses never become
customers. Mail is read out of a local SMTP receiver."""

import threading

from conftest import ADMIN_EMAIL, assert_error, session_cookie, unique_email
from signup_support import (PUBLIC, mails_to, open_desk, request_signup, signed_up,  # noqa: F401
                            sink, verify_token)
from mail_support import build_mail, mail_token, post_mail


def contacts_with(srv, email):
    found, cursor = [], ""
    while True:
        page = srv.admin.get(f"/api/v1/contacts?limit=200&cursor={cursor}").body
        found += [c for c in page["items"] if c["email"] == email]
        if not page["next_cursor"]:
            return found
        cursor = page["next_cursor"]


def test_nothing_exists_until_the_mailed_link_is_redeemed(start_server, sink):
    desk = open_desk(start_server, sink)
    email = unique_email("new")
    r = request_signup(desk, email, password="chosen-pass-1", name="Pat Doe", locale="en")
    assert r.status == 202 and r.body == {"accepted": True}, r
    assert session_cookie(r.headers) is None and "csrf_token" not in r.body
    # No account yet: the password does not sign in, the admin finds no contact.
    assert_error(desk.login_raw(email, "chosen-pass-1"), 401, "unauthenticated")
    assert contacts_with(desk, email) == []

    mail = mails_to(sink, email)[0]
    assert mail["Subject"] == "Confirm your email address"
    token, text = verify_token(mail)
    assert text == ("Hello Pat Doe,\n\nConfirm your address and finish signing up with this link "
                    f"(valid for 60 minutes, usable once):\n\n{PUBLIC}/portal/verify#{token}\n\n"
                    "If you did not sign up, ignore this mail: nobody can use your address without "
                    "the link.\n"), text
    for f in desk.data_dir.rglob("*"):  # only the digest is stored
        if f.is_file():
            assert token.encode() not in f.read_bytes(), f

    r = desk.post("/api/v1/auth/signup/verify", json={"token": token})
    assert r.status == 201, r
    assert r.body["user"]["email"] == email and r.body["user"]["role"] == "customer"
    assert session_cookie(r.headers) and r.body["csrf_token"]
    assert len(contacts_with(desk, email)) == 1
    desk.login(email, "chosen-pass-1")
    assert_error(desk.post("/api/v1/auth/signup/verify", json={"token": token}), 401,
                 "unauthenticated")
    actions = [a["action"] for a in desk.admin.get("/api/v1/audit?limit=30").body["items"]]
    assert "auth.signup_link_sent" in actions and "user.create" in actions


def test_the_mail_speaks_the_language_chosen_on_the_form(start_server, sink):
    desk = open_desk(start_server, sink)
    email = unique_email("zh")
    assert request_signup(desk, email, locale="zh-CN").status == 202
    mail = mails_to(sink, email)[0]
    assert mail["Subject"] == "确认您的邮箱地址"
    token, text = verify_token(mail)
    assert text == ("您好 王小明：\n\n请用下面的链接确认邮箱地址并完成注册（60 分钟内有效，只能使用一次）："
                    f"\n\n{PUBLIC}/portal/verify#{token}\n\n如果不是您本人注册的，请忽略这封邮件：没有"
                    "这个链接，谁也无法用这个地址注册。\n"), text


def test_an_address_a_contact_holds_is_claimed_only_with_the_proof(start_server, sink):
    desk = open_desk(start_server, sink)
    primary, other = unique_email("owner"), unique_email("alias")
    r = desk.admin.post("/api/v1/contacts", json={"email": primary, "name": "Owner",
                                                  "emails": [other]})
    assert r.status == 201, r
    contact = r.body
    # The hole: an attacker registered the contact's other address and got its mail.
    r = request_signup(desk, other, password="attacker-pass-1")
    assert r.status == 202, r
    assert_error(desk.login_raw(other, "attacker-pass-1"), 401, "unauthenticated")
    # Mail from that address still lands with the contact, not with a new account.
    raw = build_mail(other, "Still mine", "hello from my other address")
    created = post_mail(desk, mail_token(desk), raw, expect=201).body
    ticket = desk.admin.get(f"/api/v1/tickets/{created['ticket']}").body
    assert ticket["requester"]["id"] == contact["id"]

    # The address's owner reads the link and claims the contact (with the chosen password).
    token, _ = verify_token(mails_to(sink, other)[0])
    r = desk.post("/api/v1/auth/signup/verify", json={"token": token})
    assert r.status == 201, r
    assert r.body["user"]["id"] == contact["id"]
    assert desk.login(primary, "attacker-pass-1").user["id"] == contact["id"]
    actions = [a["action"] for a in desk.admin.get("/api/v1/audit?limit=30").body["items"]]
    assert "user.claim" in actions


def test_staff_and_deactivated_addresses_get_the_same_answer_and_no_mail(start_server, sink):
    desk = open_desk(start_server, sink)
    agent, _ = desk.create_agent()
    gone, _ = desk.create_contact()
    assert desk.admin.patch(f"/api/v1/contacts/{gone['id']}", json={"active": False}).status == 200
    for email in (agent["email"], ADMIN_EMAIL.upper(), gone["email"]):
        r = request_signup(desk, email)
        assert r.status == 202 and r.body == {"accepted": True}, r
    # A real one after them goes out; theirs, asked for first, never do (one thread sends the
    # links in turn, so once the last has arrived the earlier ones would have too).
    signed_up(desk, sink)
    sent_to = {a.addr_spec.lower() for m, _, _ in sink.mails() for a in m["To"].addresses}
    assert not sent_to & {agent["email"].lower(), ADMIN_EMAIL, gone["email"].lower()}


def test_bad_input_limits_and_what_sign_up_needs(start_server, sink):
    desk = open_desk(start_server, sink)
    assert_error(request_signup(desk, password="short"), 400, "invalid_argument", "password")
    assert_error(request_signup(desk, email="not-an-email"), 400, "invalid_argument", "email")
    assert_error(request_signup(desk, locale="fr"), 400, "invalid_argument", "locale")
    assert_error(request_signup(desk, role="admin"), 400, "invalid_argument", "role")
    assert_error(desk.post("/api/v1/auth/signup/verify", json={"token": "x" * 43}), 401,
                 "unauthenticated")
    assert_error(desk.post("/api/v1/auth/signup/verify", json={}), 400, "invalid_argument",
                 "token")
    # At most three links for one address within the hour: quietly no more mail.
    email = unique_email("often")
    for _ in range(4):
        assert request_signup(desk, email).status == 202
    last = unique_email("after")
    assert request_signup(desk, last).status == 202
    mails_to(sink, last)  # sent after the four, in turn
    assert len(mails_to(sink, email)) == 3
    # Without public_url there is no link to mail: 503 says so.
    plain = start_server()
    assert_error(request_signup(plain), 503, "unavailable")


def test_concurrent_redemptions_of_one_link_make_one_account(start_server, sink):
    desk = open_desk(start_server, sink)
    email = unique_email("race")
    assert request_signup(desk, email).status == 202
    token, _ = verify_token(mails_to(sink, email)[0])
    statuses = []
    barrier = threading.Barrier(8)

    def redeem():
        barrier.wait()
        statuses.append(desk.post("/api/v1/auth/signup/verify", json={"token": token}).status)

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [401] * 7, statuses
    assert len(contacts_with(desk, email)) == 1
