"""Holds the server to its OpenAPI document: every exchange of the integration suite with a
documented route is checked against it (conftest.Client.request calls check_exchange).

- The answer's status must be one the operation documents, and a JSON answer must match that
  status's schema (errors: the Error schema).
- A request the server accepted (2xx) must match the documented JSON request body: what the
  server takes, the document must say it takes.
Routes whose operation carries `x-gongdan-undocumented` (registered without a RouteDoc) are not
checked. Set GONGDAN_TEST_OPENAPI=0 to turn the checks off.

The JSON Schema checker covers the subset of draft 2020-12 the document uses; a keyword it does
not know is an error, so the document cannot quietly outgrow it. Standard library only.
"""

import json
import re
from urllib.parse import urlsplit

ANNOTATIONS = {"description", "examples", "title", "contentMediaType", "deprecated", "default",
               "readOnly", "writeOnly"}
DATE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SchemaError(Exception):
    pass


def _type_ok(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise SchemaError(f"unknown type {name!r}")


class Validator:
    """validate(value, schema) → list of error strings (empty when it matches)."""

    def __init__(self, document):
        self.schemas = document.get("components", {}).get("schemas", {})

    def validate(self, value, schema, where="$"):
        errors = []
        self._check(value, schema, where, errors)
        return errors

    def _check(self, value, schema, where, errors):
        if schema is True or schema == {}:
            return
        if schema is False:
            errors.append(f"{where}: not allowed")
            return
        for key in schema:
            if key in ANNOTATIONS or key in _KEYWORDS:
                continue
            raise SchemaError(f"{where}: the checker does not know the keyword {key!r}")
        if "$ref" in schema:
            ref = schema["$ref"]
            prefix = "#/components/schemas/"
            if not ref.startswith(prefix) or ref[len(prefix):] not in self.schemas:
                errors.append(f"{where}: unresolved $ref {ref}")
                return
            self._check(value, self.schemas[ref[len(prefix):]], where, errors)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_type_ok(value, t) for t in types):
                errors.append(f"{where}: {json.dumps(value)[:80]} is not of type {types}")
                return
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
        if "const" in schema and value != schema["const"]:
            errors.append(f"{where}: {value!r} is not {schema['const']!r}")
        if isinstance(value, str):
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                errors.append(f"{where}: longer than {schema['maxLength']}")
            if "minLength" in schema and len(value) < schema["minLength"]:
                errors.append(f"{where}: shorter than {schema['minLength']}")
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
            fmt = schema.get("format")
            if fmt == "date-time" and not DATE_TIME_RE.match(value):
                errors.append(f"{where}: {value!r} is not a date-time")
            if fmt == "date" and not DATE_RE.match(value):
                errors.append(f"{where}: {value!r} is not a date")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append(f"{where}: {value} is below {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                errors.append(f"{where}: {value} is above {schema['maximum']}")
        if isinstance(value, list):
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                errors.append(f"{where}: more than {schema['maxItems']} items")
            if "minItems" in schema and len(value) < schema["minItems"]:
                errors.append(f"{where}: fewer than {schema['minItems']} items")
            if schema.get("uniqueItems") and len({repr(v) for v in value}) < len(value):
                errors.append(f"{where}: an item is repeated")
            if "items" in schema:
                for i, item in enumerate(value):
                    self._check(item, schema["items"], f"{where}[{i}]", errors)
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in value:
                    errors.append(f"{where}: {name!r} is missing")
            extra = schema.get("additionalProperties", True)
            for name, item in value.items():
                if name in props:
                    self._check(item, props[name], f"{where}.{name}", errors)
                elif extra is False:
                    errors.append(f"{where}: {name!r} is not in the schema")
                elif isinstance(extra, dict):
                    self._check(item, extra, f"{where}.{name}", errors)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                matches = [s for s in schema[key] if not self.validate(value, s, where)]
                if not matches:
                    detail = [self.validate(value, s, where) for s in schema[key]]
                    errors.append(f"{where}: matches none of {key}: {detail}")
                elif key == "oneOf" and len(matches) > 1:
                    errors.append(f"{where}: matches {len(matches)} schemas of oneOf")
        for sub in schema.get("allOf", []):
            self._check(value, sub, where, errors)


_KEYWORDS = {"$ref", "type", "enum", "const", "maxLength", "minLength", "pattern", "format",
             "minimum", "maximum", "maxItems", "minItems", "uniqueItems", "items", "properties",
             "required",
             "additionalProperties", "anyOf", "oneOf", "allOf"}


# A Conformance of the suite's documents once conftest has read one (None before): every
# server's document has the same StreamServerMessage.
current = None


def check_stream_message(message):
    """Fails when a message of the live stream disagrees with the document's
    StreamServerMessage (ws_client.WS.recv calls it)."""
    if current is None:
        return
    schema = {"$ref": "#/components/schemas/StreamServerMessage"}
    errors = current.validator.validate(message, schema)
    assert not errors, f"a stream message disagrees with the OpenAPI document: {errors}"


class Conformance:
    def __init__(self, document, seen=None):
        self.document = document
        self.validator = Validator(document)
        # (operationId, status) of every documented answer checked; conftest passes one set to
        # the documents of all servers.
        self.seen = set() if seen is None else seen
        self.routes = []
        for path, item in document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            for method, op in item.items():
                self.routes.append((method.upper(), pattern, path, op))
        # A literal path wins over a template (/tickets/bulk before /tickets/{number}).
        self.routes.sort(key=lambda r: r[2].count("{"))

    def operation(self, method, path):
        for m, pattern, template, op in self.routes:
            if m == method and pattern.match(path):
                return template, op
        return None, None

    def problems(self, method, url, request_body, request_type, status, response_type, body):
        """What is wrong with one exchange, as a list of sentences."""
        split = urlsplit(url)
        template, op = self.operation(method.upper(), split.path)
        if op is None or op.get("x-gongdan-undocumented"):
            return []
        name = f"{method.upper()} {template} ({op.get('operationId')})"
        self.seen.add((op.get("operationId"), status))
        if status == 431:  # the header block, refused before any route: in the info's prose
            return []
        out = []
        responses = op.get("responses", {})
        documented = responses.get(str(status))
        if documented is None:
            return [f"{name}: answered {status}, which the document does not list "
                    f"(it lists {sorted(responses)})"]
        if "$ref" in documented:
            documented = self.document["components"]["responses"][
                documented["$ref"].rsplit("/", 1)[1]]
        content = documented.get("content", {})
        if "json" in (response_type or "") and "application/json" in content:
            schema = content["application/json"].get("schema", {})
            out += [f"{name} → {status}: {e}" for e in self.validator.validate(body, schema)]
        elif content and status != 304 and "*/*" not in content and not any(
                (response_type or "").startswith(t.split(";")[0]) for t in content):
            out.append(f"{name} → {status}: Content-Type {response_type!r} is not documented "
                       f"({sorted(content)})")
        if 200 <= status < 300:
            out += self._request_problems(name, op, request_body, request_type)
        return out

    def unchecked(self):
        """Documented success answers (operation, status) that no exchange has checked yet."""
        out = []
        for _, _, _, op in self.routes:
            if op.get("x-gongdan-undocumented"):
                continue
            for status in op.get("responses", {}):
                if status[0] in "123" and (op["operationId"], int(status)) not in self.seen:
                    out.append(f"{op['operationId']} {status}")
        return sorted(out)

    def _request_problems(self, name, op, request_body, request_type):
        # Unknown query parameters are ignored by the server, and whether a route reads a body
        # at all is test_openapi.py's probe (a handler may ignore one): only a JSON body the
        # route documents is checked here.
        content = op.get("requestBody", {}).get("content", {})
        if (request_body is None or "json" not in (request_type or "") or not len(request_body)
                or "application/json" not in content):
            return []
        try:
            value = json.loads(request_body)
        except ValueError:
            return []
        schema = content["application/json"].get("schema", {})
        return [f"{name} request: {e}" for e in self.validator.validate(value, schema)]
