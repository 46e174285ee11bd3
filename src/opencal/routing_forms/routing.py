"""Which route of a routing form a set of answers takes (pure: no I/O).

A route is stored in Cal.com's shape: `queryValue` is a react-awesome-query-builder tree (groups with
an AND/OR `conjunction` and an optional `not`, rules on field ids with an `operator` and a `value`
list), `action` is `{type, value}` and the fallback route has `isFallback: true`. Routes are tried in
order, the fallback last; a route without rules matches. Texts compare case-insensitively, as Cal.com
does, and select answers may be given as an option's id or its label.

Anything this module does not understand (an operator, a node type, an action type, a route that
points at another form) is a 400 naming it: a route never matches by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from opencal.core.errors import BadRequest

ActionType = Literal["eventTypeRedirectUrl", "customPageMessage", "externalRedirectUrl"]
ACTION_TYPES: tuple[ActionType, ...] = ("eventTypeRedirectUrl", "customPageMessage", "externalRedirectUrl")


@dataclass(frozen=True, slots=True)
class RouteAction:
    type: ActionType
    value: str


@dataclass(frozen=True, slots=True)
class MatchedRoute:
    id: str | None
    action: RouteAction
    is_fallback: bool


# -- answers ------------------------------------------------------------------------------------


def _options(field: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = field.get("options")
    return [o for o in options if isinstance(o, Mapping)] if isinstance(options, list) else []


def _option_id(field: Mapping[str, Any], answer: str) -> str:
    """An answer naming an option by its label stands for the option's id."""
    for option in _options(field):
        if option.get("id") == answer:
            return answer
    for option in _options(field):
        label = option.get("label")
        if isinstance(label, str) and label.casefold() == answer.casefold() and isinstance(option.get("id"), str):
            return str(option["id"])
    return answer


def comparable_answers(fields: Sequence[Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by field id (as stored), select answers turned into option ids."""
    by_id = {f["id"]: f for f in fields if isinstance(f, Mapping) and isinstance(f.get("id"), str)}
    out: dict[str, Any] = {}
    for field_id, value in answers.items():
        field = by_id.get(field_id, {})
        if isinstance(value, str):
            out[field_id] = _option_id(field, value)
        elif isinstance(value, list):
            out[field_id] = [_option_id(field, v) if isinstance(v, str) else v for v in value]
        else:
            out[field_id] = value
    return out


# -- operators ----------------------------------------------------------------------------------


def _fold(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [_fold(v) for v in value]
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _is_empty(answer: Any) -> bool:
    return answer is None or answer == "" or answer == [] or (isinstance(answer, str) and not answer.strip())


def _equal(answer: Any, operands: list[Any]) -> bool:
    if answer is None or not operands:
        return False
    expected = operands[0]
    left, right = _number(answer), _number(expected)
    if left is not None and right is not None and not isinstance(answer, list):
        return left == right
    return bool(_fold(answer) == _fold(expected))


def _text(answer: Any) -> str | None:
    if isinstance(answer, str):
        return answer.casefold()
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        return str(answer)
    return None


def _text_test(test: Callable[[str, str], bool]) -> Callable[[Any, list[Any]], bool]:
    def check(answer: Any, operands: list[Any]) -> bool:
        text = _text(answer)
        return (
            text is not None and bool(operands) and isinstance(operands[0], str) and test(text, operands[0].casefold())
        )

    return check


def _compare(test: Callable[[float, float], bool]) -> Callable[[Any, list[Any]], bool]:
    def check(answer: Any, operands: list[Any]) -> bool:
        left = _number(answer)
        right = _number(operands[0]) if operands else None
        return left is not None and right is not None and test(left, right)

    return check


def _between(answer: Any, operands: list[Any]) -> bool:
    value = _number(answer)
    bounds = [_number(o) for o in operands[:2]]
    if value is None or len(bounds) < 2 or bounds[0] is None or bounds[1] is None:
        return False
    return bounds[0] <= value <= bounds[1]


def _choices(operands: list[Any]) -> list[Any]:
    """`select_any_in` and the multiselect operators carry their option list as the first operand."""
    return _fold(_as_list(operands[0])) if operands else []


def _any_in(answer: Any, operands: list[Any]) -> bool:
    chosen = _fold(_as_list(answer))
    return any(c in _choices(operands) for c in chosen)


def _all_in(answer: Any, operands: list[Any]) -> bool:
    chosen = _fold(_as_list(answer))
    wanted = _choices(operands)
    return bool(wanted) and all(w in chosen for w in wanted)


def _same_set(answer: Any, operands: list[Any]) -> bool:
    return answer is not None and sorted(map(str, _fold(_as_list(answer)))) == sorted(map(str, _choices(operands)))


Operator = Callable[[Any, list[Any]], bool]
OPERATORS: dict[str, Operator] = {
    "equal": _equal,
    "not_equal": lambda a, o: a is not None and not _equal(a, o),
    "select_equals": _equal,
    "select_not_equals": lambda a, o: a is not None and not _equal(a, o),
    "select_any_in": _any_in,
    "select_not_any_in": lambda a, o: a is not None and not _any_in(a, o),
    "multiselect_some_in": _any_in,
    "multiselect_not_some_in": lambda a, o: a is not None and not _any_in(a, o),
    "multiselect_all_in": _all_in,
    "multiselect_not_all_in": lambda a, o: a is not None and not _all_in(a, o),
    "multiselect_equals": _same_set,
    "multiselect_not_equals": lambda a, o: a is not None and not _same_set(a, o),
    "like": _text_test(lambda text, part: part in text),
    "not_like": _text_test(lambda text, part: part not in text),
    "starts_with": _text_test(str.startswith),
    "ends_with": _text_test(str.endswith),
    "is_empty": lambda a, _o: _is_empty(a),
    "is_not_empty": lambda a, _o: not _is_empty(a),
    "less": _compare(lambda a, b: a < b),
    "less_or_equal": _compare(lambda a, b: a <= b),
    "greater": _compare(lambda a, b: a > b),
    "greater_or_equal": _compare(lambda a, b: a >= b),
    "between": _between,
    "not_between": lambda a, o: _number(a) is not None and not _between(a, o),
}


# -- the tree -----------------------------------------------------------------------------------


def _children(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    children = node.get("children1")
    if isinstance(children, Mapping):
        children = list(children.values())
    return [c for c in children if isinstance(c, Mapping)] if isinstance(children, list) else []


def _rule_matches(rule: Mapping[str, Any], answers: Mapping[str, Any], where: str) -> bool:
    properties = rule.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    operator = properties.get("operator")
    if not isinstance(operator, str) or operator not in OPERATORS:
        raise BadRequest(f"{where}: unsupported routing rule operator '{operator}'")
    field_id = properties.get("field")
    return OPERATORS[operator](
        answers.get(field_id) if isinstance(field_id, str) else None, _as_list(properties.get("value"))
    )


def tree_matches(node: Any, answers: Mapping[str, Any], where: str = "queryValue") -> bool:
    """Whether `answers` (field id -> comparable answer) satisfy the query tree `node`."""
    if node is None:
        return True
    if not isinstance(node, Mapping):
        raise BadRequest(f"{where}: a routing rule tree is an object")
    kind = node.get("type", "group")
    if kind == "rule":
        return _rule_matches(node, answers, where)
    if kind != "group":
        raise BadRequest(f"{where}: unsupported routing rule node type '{kind}'")
    properties = node.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    conjunction = str(properties.get("conjunction") or "AND").upper()
    if conjunction not in ("AND", "OR"):
        raise BadRequest(f"{where}: unsupported routing rule conjunction '{conjunction}'")
    children = _children(node)
    if not children:
        matched = True  # a group without rules asks nothing
    else:
        results = [tree_matches(child, answers, where) for child in children]
        matched = all(results) if conjunction == "AND" else any(results)
    return not matched if properties.get("not") is True else matched


def _action(route: Mapping[str, Any], where: str) -> RouteAction:
    action = route.get("action")
    if not isinstance(action, Mapping):
        raise BadRequest(f"{where}.action: the route has no action")
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        raise BadRequest(f"{where}.action: unsupported route action type '{kind}'")
    value = action.get("value")
    return RouteAction(type=kind, value=value if isinstance(value, str) else "")


def matching_route(routes: Any, fields: Any, answers: Mapping[str, Any]) -> MatchedRoute | None:
    """The first route whose rules the answers satisfy (the fallback route last), or None."""
    stored = [r for r in routes if isinstance(r, Mapping)] if isinstance(routes, list) else []
    comparable = comparable_answers(fields if isinstance(fields, list) else [], answers)
    ordered = sorted(enumerate(stored), key=lambda pair: pair[1].get("isFallback") is True)
    for index, route in ordered:
        where = f"routes[{index}]"
        if route.get("isRouter") is True or "routerType" in route:
            raise BadRequest(f"{where}: routes that point at another routing form are not supported")
        if route.get("isFallback") is True or tree_matches(route.get("queryValue"), comparable, f"{where}.queryValue"):
            route_id = route.get("id")
            return MatchedRoute(
                id=route_id if isinstance(route_id, str) else None,
                action=_action(route, where),
                is_fallback=route.get("isFallback") is True,
            )
    return None
