"""Customer self-registration, the embeddable anonymous web form, and one's own profile."""

from conftest import ADMIN_EMAIL, assert_error, session_cookie, unique_email


def signup(srv, email=None, password="customer-pass-1", **extra):
    body = {"name": "王小明", "email": email or unique_email("signup"), "password": password}
    body.update(extra)
    return srv.post("/api/v1/auth/signup", json=body)


def test_signup_creates_a_signed_in_customer(fresh_server):
    email = unique_email("new")
    r = signup(fresh_server, email, locale="zh-CN", time_zone="Asia/Shanghai")
    assert r.status == 201, r.body
    assert r.body["user"]["role"] == "customer"
    assert r.body["user"]["locale"] == "zh-CN"
    cookie = session_cookie(r.headers)
    me = fresh_server.get("/api/v1/me", headers={"Cookie": f"gongdan_session={cookie}"})
    assert me.status == 200 and me.body["email"] == email
    # The customer files and sees their own ticket; the audit log names the address.
    from conftest import Session
    s = Session(fresh_server, cookie, r.body["csrf_token"], r.body["user"])
    t = s.post("/api/v1/tickets", json={"subject": "打印机坏了", "body": "无法打印"})
    assert t.status == 201, t.body
    assert s.get("/api/v1/tickets").body["items"][0]["number"] == t.body["number"]
    audit = fresh_server.admin.get("/api/v1/audit?limit=10").body["items"]
    created = [a for a in audit if a["action"] == "user.create" and a["ip"] == "127.0.0.1"]
    assert created, audit


def test_signup_rejects_bad_input_and_duplicates(fresh_server):
    assert_error(signup(fresh_server, password="short"), 400, "invalid_argument", "password")
    assert_error(signup(fresh_server, email="not-an-email"), 400, "invalid_argument", "email")
    assert_error(fresh_server.post("/api/v1/auth/signup", json={"email": "a@b.cn"}), 400,
                 "invalid_argument", "password")
    assert_error(signup(fresh_server, role="admin"), 400, "invalid_argument", "role")
    assert_error(signup(fresh_server, email=ADMIN_EMAIL.upper()), 409, "conflict")


def test_signup_is_rate_limited_per_address(fresh_server):
    statuses = [signup(fresh_server).status for _ in range(11)]
    assert statuses[:10] == [201] * 10 or statuses.count(201) <= 10
    last = signup(fresh_server)
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
