"""The built web app served by `gongdan serve`: caching, CSP, SPA fallback, MIME types and path
traversal. Uses a small stand-in build in a temporary web root, so it needs no npm."""

import gzip

import pytest

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'")
INDEX = "<!doctype html><title>gongdan</title><div id=app></div>"
API_DOCS = "<!doctype html><title>gongdan API reference</title><div id=api-docs></div>"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from conftest import _Servers
    root = tmp_path_factory.mktemp("webroot")
    (root / "index.html").write_text(INDEX)
    (root / "assets").mkdir()
    (root / "assets" / "index-abc123.js").write_text("console.log('hi')")
    (root / "assets" / "index-abc123.css").write_text("body{}")
    (root / "assets" / "logo-1.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "manifest.webmanifest").write_text("{}")
    (root / "api-docs.html").write_text(API_DOCS)
    (root / "assets" / "big-9f9f.js").write_text("let a = 1;\n" * 500)
    (root / "assets" / "big-9f9f.js.gz").write_bytes(gzip.compress(b"let a = 1;\n" * 500))
    (root.parent / "secret.txt").write_text("do not serve")
    (root / "assets" / "escape.txt").symlink_to(root.parent / "secret.txt")
    servers = _Servers(tmp_path_factory, "web")
    srv = servers(env={"GONGDAN_WEB_ROOT": str(root)})
    yield srv
    servers.finish()


@pytest.mark.parametrize("path", ["/api/docs", "/api/docs/"])
def test_api_reference_page(web, path):
    r = web.get(path)
    assert r.status == 200, r
    assert r.body == API_DOCS
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers["Content-Security-Policy"] == PAGE_CSP
    # The rest of /api is still the API's.
    assert web.get("/api/docs/x").status == 404
    assert web.get("/api/v1/openapi.json").body["openapi"] == "3.1.0"


def test_root_redirects_to_desk(web):
    r = web.get("/")
    assert r.status == 302
    assert r.headers["Location"] == "/desk/"


@pytest.mark.parametrize("path", ["/desk", "/desk/", "/desk/tickets/12", "/portal",
                                  "/portal/tickets/new?x=1"])
def test_spa_paths_get_index_uncached_with_csp(web, path):
    r = web.get(path)
    assert r.status == 200, path
    assert r.body == INDEX
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"
    assert r.headers["Content-Security-Policy"] == PAGE_CSP
    assert r.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/embed", "/embed/other", "/embed/form/../form"])
def test_only_the_embed_form_may_be_framed(web, path):
    r = web.get(path)
    if r.status == 200:
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"


def test_embed_page_may_be_framed(web):
    r = web.get("/embed/form")
    assert r.status == 200
    assert r.body == INDEX
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers.get("X-Frame-Options") is None


@pytest.mark.parametrize("name,ctype", [("index-abc123.js", "text/javascript"),
                                        ("index-abc123.css", "text/css"),
                                        ("logo-1.svg", "image/svg+xml")])
def test_hashed_assets_are_immutable(web, name, ctype):
    r = web.get("/assets/" + name)
    assert r.status == 200
    assert r.headers["Content-Type"].startswith(ctype)
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_gzip_twin_goes_to_clients_that_accept_it(web):
    plain = web.get("/assets/big-9f9f.js")
    assert plain.headers.get("Content-Encoding") is None
    assert plain.raw == b"let a = 1;\n" * 500
    assert plain.headers["Vary"] == "Accept-Encoding"
    packed = web.get("/assets/big-9f9f.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Content-Type"].startswith("text/javascript")
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(packed.raw) == plain.raw
    # An asset without a twin is sent as it is.
    r = web.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("Content-Encoding") is None and r.raw == b"console.log('hi')"


def test_top_level_file_and_missing_asset(web):
    r = web.get("/manifest.webmanifest")
    assert r.status == 200
    assert r.headers["Content-Type"] == "application/manifest+json"
    assert r.headers["Cache-Control"] == "no-cache"
    assert web.get("/assets/nope-123.js").status == 404


@pytest.mark.parametrize("path", ["/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                                  "/desk/../../secret.txt", "/assets/..%2f..%2fsecret.txt",
                                  "/..%5csecret.txt"])
def test_traversal_is_refused(web, path):
    r = web.get(path)
    assert r.status in (400, 404), (path, r.status)
    assert "do not serve" not in r.raw.decode("utf-8", "replace")
    assert r.body["error"]["code"] in ("invalid_argument", "not_found")


def test_symlink_out_of_root_is_not_served(web):
    r = web.get("/assets/escape.txt")
    assert r.status == 404
    assert b"do not serve" not in r.raw


def test_api_and_unknown_paths_still_reach_the_dispatcher(web):
    assert web.get("/healthz").body == {"status": "ok"}
    assert web.get("/api/v1/me").status == 401
    r = web.get("/no/such/route")
    assert r.status == 404 and r.body["error"]["code"] == "not_found"
    assert web.post("/desk/", json={}).status in (404, 405)


def test_web_root_from_config_file(start_server, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("from config")
    conf = tmp_path / "gongdan.toml"
    conf.write_text(f'web_root = "{root}"\n')
    srv = start_server(args=["--config", str(conf)])
    r = srv.get("/portal/")
    assert r.status == 200 and r.body == "from config"


def test_web_root_config_must_be_a_string(start_server, tmp_path):
    conf = tmp_path / "gongdan.toml"
    conf.write_text("web_root = 3\n")
    srv = start_server(args=["--config", str(conf)], start=False)
    import subprocess
    proc = subprocess.run(srv.command(), env=srv.env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "web_root" in proc.stderr


def test_me_tells_a_session_its_csrf_token(web):
    s = web.login()
    r = s.get("/api/v1/me")
    assert r.status == 200
    assert r.headers["X-CSRF-Token"] == s.csrf
    assert r.headers["Cache-Control"] == "no-store"
