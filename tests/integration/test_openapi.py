"""The OpenAPI document is well formed and honest about request bodies.

Answers are held to the document by every test of the suite (openapi_check.py, from conftest);
here the document itself is checked, and each documented write route is probed with bodies
that the strict parser (api/json.hpp parse_object) refuses before doing anything:

- {"<documented property>": …, "zz_probe": 1} must be refused for zz_probe, not for the
  documented property: every documented property is one the route reads, and it reads strictly;
- {"zz_probe": 1} sent to a route documented without a body must not be refused for zz_probe:
  a route that reads a body documents it.
"""
import json
import re

import pytest

from ticket_support import new_ticket

PROBE = "zz_probe"
JSON_VALUE = {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": [],
              "object": {}, "null": None}


@pytest.fixture(scope="module")
def document(server):
    r = server.get("/api/v1/openapi.json")
    assert r.status == 200, r
    return json.loads(r.raw)


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            yield path, method.upper(), op


def refs(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)


def test_the_document_is_openapi_3_1_with_unique_ids_and_resolving_references(document):
    assert document["openapi"] == "3.1.0"
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for ref in set(refs(document)):
        assert ref.startswith("#/components/"), ref
        kind, name = ref.split("/")[2:]
        assert name in document["components"][kind], ref
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    for path, method, op in operations(document):
        for status, response in op["responses"].items():
            # Errors share the one shape (GET /readyz's 503 is a health answer of its own, and
            # the help centre's 404, its files' too, is a page for people).
            if status.startswith(("4", "5")) and path != "/readyz" and not (
                    path.startswith(("/help/", "/help-files/")) and status == "404"):
                assert response["$ref"].startswith("#/components/responses/"), (path, status)
        assert op["summary"] and op["tags"], (method, path)
    # The live stream is described in prose, with its messages' schemas.
    stream = document["paths"]["/api/v1/stream"]["get"]
    assert "presence" in stream["description"] and "101" in stream["responses"]
    assert "StreamServerMessage" in document["components"]["schemas"]


def test_every_route_is_documented(document):
    undocumented = sorted(f"{m} {p}" for p, m, op in operations(document)
                          if op.get("x-gongdan-undocumented"))
    assert not undocumented, undocumented
    # Documented ones answer something, and say what.
    for path, method, op in operations(document):
        if not op.get("x-gongdan-undocumented"):
            assert any(s.startswith(("1", "2", "3")) for s in op["responses"]), (method, path)


def probe_value(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return probe_value(schema[key][0], components)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "minimum" in schema:  # a valid value, so the unknown member is what is refused
        return schema["minimum"]
    t = schema.get("type", "string")
    return JSON_VALUE[t[0] if isinstance(t, list) else t]


def fill(path, values):
    return re.sub(r"{(\w+)}", lambda m: str(values.get(m.group(1), 1)), path)


def json_body_schema(op, components):
    content = op.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    while schema and "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_documented_property_is_read_and_unknown_ones_are_refused(server, document):
    admin = server.login()
    number = new_ticket(admin, subject="probe")["number"]
    values = {"number": number}
    components = document["components"]["schemas"]
    wrong, checked = [], 0
    for path, method, op in operations(document):
        if op.get("x-gongdan-undocumented") or method not in ("POST", "PUT", "PATCH"):
            continue
        schema = json_body_schema(op, components)
        if not schema or schema.get("type") != "object":
            continue
        for name, prop in schema.get("properties", {}).items():
            body = {name: probe_value(prop, components), PROBE: 1}
            r = admin.request(method, fill(path, values), json=body)
            checked += 1
            field = r.body.get("error", {}).get("field") if isinstance(r.body, dict) else None
            if r.status != 400 or field != PROBE:
                wrong.append(f"{method} {path} with {name!r}: {r.status} {r.body}")
    assert checked > 50
    assert not wrong, "documented properties the route does not read strictly:\n" + "\n".join(
        wrong)


def test_routes_documented_without_a_body_read_none(fresh_server, document):
    admin = fresh_server.login()
    wrong = []
    for path, method, op in operations(document):
        if op.get("x-gongdan-undocumented") or method not in ("POST", "PUT", "PATCH", "DELETE"):
            continue
        if op.get("requestBody") or path == "/api/v1/auth/logout":
            continue
        # Ids that name nothing: a route that ignores the body must not do anything either.
        r = admin.request(method, fill(path, {}).replace("/1", "/999999"), json={PROBE: 1})
        field = r.body.get("error", {}).get("field") if isinstance(r.body, dict) else None
        if r.status == 400 and field == PROBE:
            wrong.append(f"{method} {path} reads a JSON body that the document does not describe")
    r = admin.request("POST", "/api/v1/auth/logout", json={PROBE: 1})
    assert r.status == 204, r
    assert not wrong, "\n".join(wrong)


def test_the_checker_finds_what_disagrees():
    """openapi_check, which every exchange of the suite goes through, does catch a mismatch."""
    import openapi_check
    doc = {"paths": {"/api/v1/things/{id}": {"get": {
        "operationId": "getThing",
        "responses": {"200": {"content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {
            "type": "object", "additionalProperties": False, "required": ["id", "at"],
            "properties": {"id": {"type": "integer"}, "at": {"type": ["string", "null"],
                                                            "format": "date-time"}}}}}}
    c = openapi_check.Conformance(doc)
    ok = {"id": 1, "at": "2026-01-01T00:00:00.000Z"}
    assert c.problems("GET", "/api/v1/things/1", None, None, 200, "application/json", ok) == []
    assert c.problems("GET", "/api/v1/things/1", None, None, 200, "application/json",
                      {"id": 1, "at": None}) == []
    for bad in ({"id": "1", "at": None}, {"id": 1}, {"id": 1, "at": None, "extra": 2},
                {"id": 1, "at": "yesterday"}, {"id": True, "at": None}):
        assert c.problems("GET", "/api/v1/things/1", None, None, 200, "application/json", bad), bad
    assert c.problems("GET", "/api/v1/things/1", None, None, 404, "application/json", {})
    assert c.problems("GET", "/api/v1/other", None, None, 500, "application/json", {}) == []
    with pytest.raises(openapi_check.SchemaError):
        openapi_check.Validator(doc).validate(1, {"multipleOf": 2})
