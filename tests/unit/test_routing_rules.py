"""Routing form rule evaluation (`opencal.routing_forms.routing`)."""

from __future__ import annotations

from typing import Any

import pytest

from opencal.core.errors import BadRequest
from opencal.routing_forms.routing import MatchedRoute, RouteAction, matching_route, tree_matches

FIELDS: list[dict[str, Any]] = [
    {
        "id": "size",
        "type": "select",
        "label": "Size",
        "options": [{"id": "s", "label": "Small"}, {"id": "l", "label": "Large"}],
    },
    {
        "id": "tools",
        "type": "multiselect",
        "label": "Tools",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    },
    {"id": "company", "type": "text", "label": "Company"},
    {"id": "seats", "type": "number", "label": "Seats"},
]


def rule(field: str, operator: str, value: list[Any] | None = None) -> dict[str, Any]:
    return {"type": "rule", "properties": {"field": field, "operator": operator, "value": value or []}}


def group(*rules: dict[str, Any], conjunction: str = "AND", negated: bool = False) -> dict[str, Any]:
    return {
        "type": "group",
        "children1": {f"rule-{i}": r for i, r in enumerate(rules)},
        "properties": {"conjunction": conjunction, "not": negated},
    }


def route(route_id: str, query: dict[str, Any] | None, kind: str, value: str, fallback: bool = False) -> dict[str, Any]:
    return {"id": route_id, "queryValue": query, "action": {"type": kind, "value": value}, "isFallback": fallback}


@pytest.mark.parametrize(
    ("node", "answers", "expected"),
    [
        (rule("size", "select_equals", ["l"]), {"size": "l"}, True),
        (rule("size", "select_equals", ["l"]), {"size": "s"}, False),
        (rule("size", "select_equals", ["l"]), {}, False),
        (rule("size", "select_not_equals", ["l"]), {"size": "s"}, True),
        (rule("size", "select_any_in", [["s", "l"]]), {"size": "s"}, True),
        (rule("size", "select_not_any_in", [["s"]]), {"size": "l"}, True),
        (rule("tools", "multiselect_some_in", [["b"]]), {"tools": ["a", "b"]}, True),
        (rule("tools", "multiselect_all_in", [["a", "b"]]), {"tools": ["a"]}, False),
        (rule("tools", "multiselect_all_in", [["a", "b"]]), {"tools": ["b", "a"]}, True),
        (rule("tools", "multiselect_equals", [["a", "b"]]), {"tools": ["b", "a"]}, True),
        (rule("company", "equal", ["ACME"]), {"company": "acme"}, True),
        (rule("company", "not_equal", ["acme"]), {"company": "Other"}, True),
        (rule("company", "like", ["cm"]), {"company": "Acme"}, True),
        (rule("company", "not_like", ["cm"]), {"company": "Acme"}, False),
        (rule("company", "starts_with", ["ac"]), {"company": "Acme"}, True),
        (rule("company", "ends_with", ["ac"]), {"company": "Acme"}, False),
        (rule("company", "is_empty"), {"company": "  "}, True),
        (rule("company", "is_empty"), {}, True),
        (rule("company", "is_not_empty"), {"company": "x"}, True),
        (rule("seats", "greater", [10]), {"seats": 11}, True),
        (rule("seats", "less_or_equal", [10]), {"seats": "10"}, True),
        (rule("seats", "between", [5, 10]), {"seats": 7.5}, True),
        (rule("seats", "not_between", [5, 10]), {"seats": 11}, True),
        (rule("seats", "equal", [10]), {"seats": "10.0"}, True),
        (group(rule("size", "select_equals", ["l"]), rule("company", "like", ["acme"])), {"size": "l"}, False),
        (
            group(rule("size", "select_equals", ["l"]), rule("company", "like", ["acme"]), conjunction="OR"),
            {"size": "l"},
            True,
        ),
        (group(rule("size", "select_equals", ["l"]), negated=True), {"size": "l"}, False),
        (group(), {}, True),
        (None, {}, True),
    ],
)
def test_tree_matches(node: dict[str, Any] | None, answers: dict[str, Any], expected: bool) -> None:
    assert tree_matches(node, answers) is expected


ROUTES = [
    route("fallback", group(), "customPageMessage", "Thanks", fallback=True),
    route("big", group(rule("size", "select_equals", ["l"])), "eventTypeRedirectUrl", "team/sales/demo"),
    route("acme", group(rule("company", "like", ["acme"])), "externalRedirectUrl", "https://example.com/acme"),
]


def test_first_matching_route_wins_and_the_fallback_comes_last() -> None:
    assert matching_route(ROUTES, FIELDS, {"size": "l", "company": "acme"}) == MatchedRoute(
        "big", RouteAction("eventTypeRedirectUrl", "team/sales/demo"), False
    )
    assert matching_route(ROUTES, FIELDS, {"company": "Acme Ltd"}) == MatchedRoute(
        "acme", RouteAction("externalRedirectUrl", "https://example.com/acme"), False
    )
    assert matching_route(ROUTES, FIELDS, {"size": "s"}) == MatchedRoute(
        "fallback", RouteAction("customPageMessage", "Thanks"), True
    )


def test_select_answers_may_name_an_option_by_label() -> None:
    assert matching_route(ROUTES, FIELDS, {"size": "large"}) is not None
    assert matching_route(ROUTES, FIELDS, {"size": "large"}).id == "big"  # type: ignore[union-attr]
    assert matching_route(ROUTES[1:], FIELDS, {"size": "Medium"}) is None


def test_no_routes_means_no_match() -> None:
    assert matching_route(None, FIELDS, {}) is None
    assert matching_route([], FIELDS, {}) is None


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        (
            [route("x", group(rule("size", "select_fancy", ["l"])), "customPageMessage", "m")],
            "routes[0].queryValue: unsupported routing rule operator 'select_fancy'",
        ),
        (
            [route("x", group(rule("size", "", [])), "customPageMessage", "m")],
            "routes[0].queryValue: unsupported routing rule operator ''",
        ),
        (
            [route("x", {"type": "rule_group", "children1": {}}, "customPageMessage", "m")],
            "routes[0].queryValue: unsupported routing rule node type 'rule_group'",
        ),
        (
            [route("x", {"type": "group", "properties": {"conjunction": "XOR"}}, "customPageMessage", "m")],
            "routes[0].queryValue: unsupported routing rule conjunction 'XOR'",
        ),
        ([route("x", group(), "sendEmail", "m")], "routes[0].action: unsupported route action type 'sendEmail'"),
        ([{"id": "y", "isRouter": True}], "routes[0]: routes that point at another routing form are not supported"),
    ],
)
def test_what_is_not_understood_is_a_400_never_a_match(routes: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        matching_route(routes, FIELDS, {"size": "l"})
    assert caught.value.message == message
