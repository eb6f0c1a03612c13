"""Customer self-registration, the embeddable anonymous web form, and one's own profile."""

from conftest import ADMIN_EMAIL, assert_error, unique_email
from signup_support import open_desk, request_signup, signed_up, sink  # noqa: F401


def test_signup_creates_a_signed_in_customer_once_the_address_is_proved(start_server, sink):
    desk = open_desk(start_server, sink)
    email = unique_email("new")
    s = signed_up(desk, sink, email, locale="zh-CN", time_zone="Asia/Shanghai")
    assert s.user["role"] == "customer" and s.user["locale"] == "zh-CN"
    me = s.get("/api/v1/me")
    assert me.status == 200 and me.body["email"] == email
    # The customer files and sees their own ticket; the audit log names the address.
    t = s.post("/api/v1/tickets", json={"subject": "打印机坏了", "body": "无法打印"})
    assert t.status == 201, t.body
    assert s.get("/api/v1/tickets").body["items"][0]["number"] == t.body["number"]
    audit = desk.admin.get("/api/v1/audit?limit=10").body["items"]
    created = [a for a in audit if a["action"] == "user.create" and a["ip"] == "127.0.0.1"]
    assert created, audit


def test_signup_rejects_bad_input_and_says_nothing_about_taken_addresses(start_server, sink):
    desk = open_desk(start_server, sink)
    assert_error(request_signup(desk, password="short"), 400, "invalid_argument", "password")
    assert_error(request_signup(desk, email="not-an-email"), 400, "invalid_argument", "email")
    assert_error(desk.post("/api/v1/auth/signup", json={"email": "a@b.cn"}), 400,
                 "invalid_argument", "password")
    assert_error(request_signup(desk, role="admin"), 400, "invalid_argument", "role")
    # A taken address gets the same answer as a free one (and no mail: see
    # test_signup_verification.py), so sign-up does not tell who has an account.
    r = request_signup(desk, email=ADMIN_EMAIL.upper())
    assert r.status == 202 and r.body == {"accepted": True}, r


def test_signup_is_rate_limited_per_address(start_server, sink):
    desk = open_desk(start_server, sink)
    statuses = [request_signup(desk).status for _ in range(10)]
    assert statuses == [202] * 10
    last = request_signup(desk)
    assert last.status == 429 and last.headers["Retry-After"]


def test_web_form_creates_a_ticket_without_an_account(fresh_server):
    r = fresh_server.post("/api/v1/web-form", json={
        "name": "Visitor", "email": unique_email("visitor"), "subject": "Hello",
        "body": "<b>bold</b> text", "website": ""})
    assert r.status == 201, r.body
    number = r.body["number"]
    admin = fresh_server.admin
    t = admin.get(f"/api/v1/tickets/{number}")
    assert t.status == 200 and t.body["channel"] == "web"
    assert t.body["requester"]["name"] == "Visitor"


def test_web_form_honeypot_creates_nothing(fresh_server):
    admin = fresh_server.admin
    before = len(admin.get("/api/v1/tickets?view=all_open").body["items"])
    r = fresh_server.post("/api/v1/web-form", json={
        "email": unique_email("bot"), "body": "cheap pills", "website": "http://spam.example"})
    assert r.status == 201 and r.body["number"] is None
    assert len(admin.get("/api/v1/tickets?view=all_open").body["items"]) == before


def test_web_form_bad_input_and_rate_limit(fresh_server):
    assert_error(fresh_server.post("/api/v1/web-form", json={"email": "a@b.cn"}), 400,
                 "invalid_argument", "body")
    assert_error(fresh_server.post("/api/v1/web-form", json={"email": "a@b.cn", "body": "x",
                                                             "department": "one"}),
                 400, "invalid_argument", "department")
    assert_error(fresh_server.post("/api/v1/web-form", json={"email": "a@b.cn", "body": "x",
                                                             "extra": 1}),
                 400, "invalid_argument", "extra")
    codes = [fresh_server.post("/api/v1/web-form", json={"email": unique_email("f"), "body": "x"})
             .status for _ in range(25)]
    assert 429 in codes and codes.count(201) <= 20


def test_profile_update_of_ones_own_account(fresh_server):
    s = fresh_server.customer_session()
    r = s.patch("/api/v1/me", json={"locale": "zh-CN", "time_zone": "Asia/Shanghai", "name": "李"})
    assert r.status == 200, r.body
    assert (r.body["locale"], r.body["time_zone"], r.body["name"]) == ("zh-CN", "Asia/Shanghai",
                                                                       "李")
    assert s.get("/api/v1/me").body["locale"] == "zh-CN"
    assert_error(s.patch("/api/v1/me", json={"time_zone": "Mars/Base"}), 400, "invalid_argument",
                 "time_zone")
    assert_error(s.patch("/api/v1/me", json={"role": "admin"}), 400, "invalid_argument", "role")
    assert s.get("/api/v1/me").body["role"] == "customer"
    agent = fresh_server.agent_session()
    assert agent.patch("/api/v1/me", json={"locale": "en"}).body["role"] == "agent"


def test_new_routes_are_in_the_openapi_document(server):
    paths = server.get("/api/v1/openapi.json").body["paths"]
    assert "post" in paths["/api/v1/auth/signup"]
    assert "post" in paths["/api/v1/web-form"]
    assert "patch" in paths["/api/v1/me"]
