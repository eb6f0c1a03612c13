"""The inbox's filter bar asks for SLA states and custom field values with the same query the API
documents (`sla=breached,warning`, `field.model=x100`): states are judged on the server's clock
as the desk's badges show them, a field matches its value (a multi-select when it holds it), and
a view saved with them lists and counts the same tickets as the bar, also after time passed."""

from conftest import assert_error
from ticket_support import list_all, new_ticket, patch, status_id, uniq


def test_sla_states_and_custom_fields_filter_the_list_and_saved_views(start_server):
    srv = start_server(clock=True)
    admin = srv.admin
    model, colors, boxed, count = uniq("model"), uniq("colors"), uniq("boxed"), uniq("count")
    for key, kind, extra in ((model, "dropdown", {"options": [{"value": "x100"}, {"value": "x200"}]}),
                             (colors, "multi_select", {"options": [{"value": "red"}, {"value": "blue"}]}),
                             (boxed, "checkbox", {}), (count, "number", {})):
        r = admin.post("/api/v1/custom-fields", json={"key": key, "type": kind, "label": key,
                                                      "label_zh": key, **extra})
        assert r.status == 201, r
    plain = new_ticket(admin)["number"]  # before any policy: no SLA
    r = admin.post("/api/v1/sla-policies", json={
        "name": "Urgent", "position": 1, "conditions": {"priority": ["urgent"]},
        "targets": {"first_response_minutes": 30, "resolution_minutes": 240}})
    assert r.status == 201, r
    r = admin.post("/api/v1/sla-policies", json={
        "name": "Normal", "position": 2, "targets": {"resolution_minutes": 600}})
    assert r.status == 201, r
    urgent = new_ticket(admin, priority="urgent",
                        custom_fields={model: "x100", colors: ["red", "blue"], boxed: True,
                                       count: 3})["number"]
    normal = new_ticket(admin, custom_fields={model: "x200", colors: ["blue"], boxed: False,
                                              count: 12})["number"]
    paused = new_ticket(admin, custom_fields={model: "x100"})["number"]
    patch(admin, paused, {"status": status_id(admin, "pending")})

    def listed(**params):
        return set(list_all(admin, params))

    assert listed(sla="none") == {plain}
    assert listed(sla="paused") == {paused}
    assert listed(sla="warning") == {urgent}  # 30 minutes left
    assert listed(sla="ok") == {normal}
    assert listed(sla="breached") == set()
    assert listed(sla="breached,warning") == {urgent}

    assert listed(**{"field." + model: "x100"}) == {urgent, paused}
    assert listed(**{"field." + colors: "blue"}) == {urgent, normal}
    assert listed(**{"field." + colors: "red"}) == {urgent}
    assert listed(**{"field." + boxed: "true"}) == {urgent}
    assert listed(**{"field." + boxed: "false"}) == {normal}
    assert listed(**{"field." + count: "12"}) == {normal}
    assert listed(**{"field." + model: "x100", "field." + boxed: "true"}) == {urgent}
    assert listed(**{"field." + model: "x100", "sla": "paused"}) == {paused}
    assert listed(**{"field." + model: "x300"}) == set()

    # A view saved with them: listed and counted by a query, so time alone moves its count.
    r = admin.post("/api/v1/views", json={"name": "late x100", "sort": "-updated_at",
                                          "filters": {"sla": ["breached"], "fields": {model: "x100"}}})
    assert r.status == 201, r
    view = str(r.body["id"])

    def count_of():
        return {str(v["id"]): v["count"] for v in admin.get("/api/v1/views").body["items"]}[view]

    assert set(list_all(admin, {"view": view})) == set() and count_of() == 0
    srv.advance(minutes=31)
    assert listed(sla="breached") == {urgent}
    assert set(list_all(admin, {"view": view})) == {urgent} and count_of() == 1
    assert set(list_all(admin, {"view": view, "sla": "ok"})) == set()

    assert_error(admin.get("/api/v1/tickets?sla=late"), 400, "invalid_argument", "sla")
    assert_error(admin.get("/api/v1/tickets?field.a%20b=1"), 400, "invalid_argument", "field.a b")
    r = admin.post("/api/v1/views", json={"name": "bad", "filters": {"fields": {model: 1}}})
    assert_error(r, 400, "invalid_argument", "filters.fields." + model)
    r = admin.post("/api/v1/views", json={"name": "bad", "filters": {"sla": ["soon"]}})
    assert_error(r, 400, "invalid_argument", "filters.sla")
