"""Applying a scenario to a map: the to-be organisation, pure.

The changes are made on the map's plain data (mappings and lists, as YAML
reads them), so the same code edits the parsed data of a map file in place
and keeps its comments (see :mod:`journeygraph.scenario.text`). Short forms
(``R: sdr``, ``next: [landing-page]``) are read as their long forms and
written back in the form they had.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any

from pydantic import ValidationError

from journeygraph.exceptions import MapError, Problem, did_you_mean
from journeygraph.io.source import KeyPath
from journeygraph.model import ROLES, JourneyMap
from journeygraph.scenario.model import (
    AddTransition,
    ChangeFunction,
    ChangeTouchpoint,
    FunctionRef,
    HandoffRef,
    MoveRole,
    RescopeHandoff,
    Scenario,
)

__all__ = ["apply", "apply_to_data"]

Data = MutableMapping[str, Any]
_Found = Iterator[tuple[KeyPath, str]]
"""What a change finds wrong: the path (inside the change) and the message."""


def apply(m: JourneyMap, scenario: Scenario) -> JourneyMap:
    """The to-be map: ``m`` with the scenario's changes made, in order.

    Parameters
    ----------
    m
        The as-is map; it is not changed.
    scenario
        The changes.

    Returns
    -------
    JourneyMap
        A new map.

    Raises
    ------
    MapError
        With every change that does not fit the map, each at its place in the
        scenario file (when it was read from one).

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> s = Scenario.model_validate({"version": 1, "changes": [
    ...     {"move_role": {"touchpoint": "ad", "role": "R", "to": "sales"}},
    ...     {"add_handoff": {"from": "sales", "to": "marketing", "sla": "4h"}}]})
    >>> to_be = apply(tiny_map(), s)
    >>> to_be.touchpoints[0].owners.responsible, to_be.handoffs[0].sla
    (['sales'], '4h')
    >>> apply(tiny_map(), Scenario.model_validate({"version": 1, "changes": [
    ...     {"remove_function": "sale"}]}))
    Traceback (most recent call last):
    ...
    journeygraph.exceptions.MapError: changes[0].remove_function: unknown function 'sale'; \
did you mean 'sales'?
    """
    data: Data = m.model_dump(by_alias=True, exclude_defaults=True)
    apply_to_data(data, scenario)
    return _to_be_map(data, scenario)


def _to_be_map(data: Any, scenario: Scenario) -> JourneyMap:
    """The map of changed data; a :class:`MapError` if the changes left it inconsistent."""
    try:
        return JourneyMap.model_validate(data)
    except ValidationError as err:
        where = scenario.source.locate(()) if scenario.source else None
        detail = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in err.errors())
        raise MapError(
            [Problem(f"the to-be map does not hold together: {detail}", where)]
        ) from None


def apply_to_data(data: Data, scenario: Scenario) -> None:
    """Make the scenario's changes in ``data``, a map's plain data, in place.

    Every change is checked against the map as the changes before it left it;
    a change that does not fit is skipped and reported, and the rest still
    checked, so that one run lists every problem.

    Raises
    ------
    MapError
        With every problem, at its place in the scenario.
    """
    problems: list[Problem] = []
    for i, change in enumerate(scenario.changes):
        kind = change.kind
        here: KeyPath = ("changes", i, kind)
        check, make = _KINDS[kind]
        found = list(check(data, change.detail))
        if found:
            problems += [_located(scenario, (*here, *path), message) for path, message in found]
        else:
            make(data, change.detail)
    if problems:
        raise MapError(problems)


def _located(scenario: Scenario, path: KeyPath, message: str) -> Problem:
    if scenario.source is not None:
        return Problem(message, scenario.source.locate(path))
    return Problem(f"{_dotted(path)}: {message}")


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# --- reading and writing the map's plain data --------------------------------------------


def _items(data: Data, section: str) -> list[Any]:
    items = data.get(section)
    return items if isinstance(items, list) else []


def _entity(data: Data, section: str, ident: str) -> Any:
    return next((e for e in _items(data, section) if e.get("id") == ident), None)


def _ids(data: Data, section: str) -> list[str]:
    return [e["id"] for e in _items(data, section)]


def _unknown(kind: str, ident: str, known: Iterable[str]) -> str:
    return f"unknown {kind} {ident!r}{did_you_mean(ident, known)}"


def _exists(data: Data, section: str, kind: str, ident: str | None, path: KeyPath) -> _Found:
    if ident is not None and _entity(data, section, ident) is None:
        yield path, _unknown(kind, ident, _ids(data, section))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return [value] if isinstance(value, str | dict) else list(value)


def _write_list(holder: Any, key: str, values: list[Any]) -> None:
    """``holder[key] = values``, keeping the form it was written in."""
    old = holder.get(key)
    if not values:
        holder.pop(key, None)
    elif isinstance(old, list):
        _edit(old, values)
    elif isinstance(old, str) and len(values) == 1 and isinstance(values[0], str):
        holder[key] = values[0]
    else:
        holder[key] = values


def _edit(old: list[Any], values: list[Any]) -> None:
    """Make ``old`` hold ``values`` by deleting and appending items, never by rewriting it.

    The items that stay are the same objects at the same places, so a file's comments
    and style stay with them (a whole-list assignment loses every comment in the list).
    """
    kept: set[int] = set()
    j = 0
    for i, item in enumerate(old):
        if j < len(values) and item == values[j]:
            kept.add(i)
            j += 1
    for i in reversed(range(len(old))):
        if i not in kept:
            del old[i]
    old.extend(values[j:])


def _role(touchpoint: Any, role: str) -> list[str]:
    owners = touchpoint.get("owners") or {}
    return [str(function) for function in _as_list(owners.get(role))]


def _set_role(touchpoint: Any, role: str, functions: list[str]) -> None:
    if touchpoint.get("owners") is None:
        touchpoint["owners"] = {}
    _write_list(touchpoint["owners"], role, list(dict.fromkeys(functions)))


def _targets(touchpoint: Any) -> list[str]:
    return [t if isinstance(t, str) else t.get("to") for t in _as_list(touchpoint.get("next"))]


def _pairs(data: Data, ref: HandoffRef) -> list[Any]:
    return [
        h for h in _items(data, "handoffs") if (h.get("from"), h.get("to")) == (ref.from_, ref.to)
    ]


def _plain(model: Any) -> dict[str, Any]:
    """A function or handoff of a change as a map file writes it: ``at`` pairs as lists
    (as YAML writes them), whole numbers without ``.0``."""
    dumped: dict[str, Any] = model.model_dump(by_alias=True, exclude_defaults=True)
    return {
        key: [list(pair) for pair in value] if key == "at" else _number(value)
        for key, value in dumped.items()
    }


# --- the kinds of change: a check that yields problems, and the change itself -------------


def _check_move_role(data: Data, change: MoveRole) -> _Found:
    yield from _exists(data, "touchpoints", "touchpoint", change.touchpoint, ("touchpoint",))
    yield from _exists(data, "functions", "function", change.to, ("to",))
    yield from _exists(data, "functions", "function", change.from_, ("from",))
    touchpoint = _entity(data, "touchpoints", change.touchpoint)
    if touchpoint is None or change.from_ is None:
        return
    holders = _role(touchpoint, change.role)
    if change.from_ not in holders and _entity(data, "functions", change.from_) is not None:
        held = ", ".join(holders) if holders else "none"
        yield (
            ("from",),
            f"function {change.from_!r} is not {change.role} at touchpoint "
            f"{change.touchpoint!r} ({change.role}: {held})",
        )
    elif change.from_ == change.to:
        yield ("to",), f"moves {change.role} from {change.to!r} to itself; name another function"


def _move_role(data: Data, change: MoveRole) -> None:
    touchpoint = _entity(data, "touchpoints", change.touchpoint)
    holders = _role(touchpoint, change.role)
    if change.from_ is None:
        kept = [change.to]
    else:
        kept = [change.to if function == change.from_ else function for function in holders]
    _set_role(touchpoint, change.role, kept)


def _check_handoff_ends(data: Data, change: HandoffRef) -> _Found:
    yield from _exists(data, "functions", "function", change.from_, ("from",))
    yield from _exists(data, "functions", "function", change.to, ("to",))


def _check_at(data: Data, at: list[tuple[str, str]] | None) -> _Found:
    for j, pair in enumerate(at or []):
        found = [
            problem
            for k, touchpoint in enumerate(pair)
            for problem in _exists(data, "touchpoints", "touchpoint", touchpoint, ("at", j, k))
        ]
        yield from found
        source, target = pair
        if not found and target not in _targets(_entity(data, "touchpoints", source)):
            yield (
                ("at", j),
                f"the map has no transition {source!r} -> {target!r}; a handoff covers "
                "transitions: add it first (add_transition) or correct the pair",
            )


def _check_add_handoff(data: Data, change: Any) -> _Found:
    ref = HandoffRef.model_validate({"from": change.from_, "to": change.to})
    yield from _check_handoff_ends(data, ref)
    yield from _check_at(data, change.at)
    if change.from_ == change.to:
        yield ("to",), f"a handoff from {change.from_!r} to itself; a handoff joins two functions"
    elif _pairs(data, ref):
        yield (
            ("from",),
            f"a handoff from {change.from_!r} to {change.to!r} is already declared; "
            "change it with rescope_handoff",
        )


def _add_handoff(data: Data, change: Any) -> None:
    if not isinstance(data.get("handoffs"), list):
        data["handoffs"] = []
    data["handoffs"].append(_plain(change))


def _check_declared(data: Data, change: HandoffRef) -> _Found:
    found = list(_check_handoff_ends(data, change))
    yield from found
    if not found and not _pairs(data, change):
        declared = [f"{h.get('from')} -> {h.get('to')}" for h in _items(data, "handoffs")]
        outgoing = [d for d in declared if d.startswith(f"{change.from_} -> ")]
        hint = f"; declared from {change.from_!r}: {', '.join(outgoing)}" if outgoing else ""
        yield (), f"no handoff from {change.from_!r} to {change.to!r} is declared{hint}"


def _remove_handoff(data: Data, change: HandoffRef) -> None:
    pair = (change.from_, change.to)
    kept = [h for h in _items(data, "handoffs") if (h.get("from"), h.get("to")) != pair]
    _write_list(data, "handoffs", kept)


def _check_rescope(data: Data, change: RescopeHandoff) -> _Found:
    yield from _check_declared(data, change)
    yield from _check_at(data, change.at)
    if not change.model_fields_set - {"from_", "to"}:
        yield (), "changes nothing; give the new sla, name or at"


def _rescope_handoff(data: Data, change: RescopeHandoff) -> None:
    new = {
        key: value
        for key, value in change.model_dump(by_alias=True).items()
        if key in {"name", "sla", "at"} and key in change.model_fields_set
    }
    for handoff in _pairs(data, change):
        for key, value in new.items():
            if value is None or value == []:
                handoff.pop(key, None)
            else:
                handoff[key] = [list(p) for p in value] if key == "at" else value


def _check_add_function(data: Data, change: Any) -> _Found:
    if _entity(data, "functions", change.id) is not None:
        yield ("id",), f"function {change.id!r} already exists; change it with change_function"
    yield from _exists(data, "departments", "department", change.department, ("department",))


def _add_function(data: Data, change: Any) -> None:
    if not isinstance(data.get("functions"), list):
        data["functions"] = []
    data["functions"].append(_plain(change))


def _check_remove_function(data: Data, change: FunctionRef) -> _Found:
    yield from _exists(data, "functions", "function", change.function, ())


def _remove_function(data: Data, change: FunctionRef) -> None:
    gone = change.function
    _write_list(
        data,
        "functions",
        [function for function in _items(data, "functions") if function.get("id") != gone],
    )
    for touchpoint in _items(data, "touchpoints"):
        for role in ROLES:
            if gone in _role(touchpoint, role):
                _set_role(
                    touchpoint,
                    role,
                    [function for function in _role(touchpoint, role) if function != gone],
                )
    kept = [h for h in _items(data, "handoffs") if gone not in (h.get("from"), h.get("to"))]
    _write_list(data, "handoffs", kept)
    for opportunity in _items(data, "opportunities"):
        if opportunity.get("owner") == gone:
            del opportunity["owner"]


def _check_change_function(data: Data, change: ChangeFunction) -> _Found:
    yield from _exists(data, "functions", "function", change.function, ("function",))
    yield from _exists(data, "departments", "department", change.department, ("department",))
    if not change.model_fields_set - {"function"}:
        yield (), "changes nothing; give the new department or fte"


def _change_function(data: Data, change: ChangeFunction) -> None:
    _set_fields(_entity(data, "functions", change.function), change, ("department", "fte"))


def _set_fields(entity: Any, change: Any, keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in change.model_fields_set:
            value = getattr(change, key)
            if value is None:
                entity.pop(key, None)
            else:
                entity[key] = _number(value)


def _number(value: Any) -> Any:
    # 2, not 2.0, in a file a person reads.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _check_change_touchpoint(data: Data, change: ChangeTouchpoint) -> _Found:
    yield from _exists(data, "touchpoints", "touchpoint", change.touchpoint, ("touchpoint",))
    if not change.model_fields_set - {"touchpoint"}:
        yield (), "changes nothing; give the new volume or handle_minutes"


def _change_touchpoint(data: Data, change: ChangeTouchpoint) -> None:
    touchpoint = _entity(data, "touchpoints", change.touchpoint)
    _set_fields(touchpoint, change, ("volume", "handle_minutes"))


def _check_transition_ends(data: Data, change: AddTransition) -> _Found:
    yield from _exists(data, "touchpoints", "touchpoint", change.from_, ("from",))
    yield from _exists(data, "touchpoints", "touchpoint", change.to, ("to",))


def _check_add_transition(data: Data, change: AddTransition) -> _Found:
    found = list(_check_transition_ends(data, change))
    yield from found
    source = _entity(data, "touchpoints", change.from_)
    if not found and change.to in _targets(source):
        yield ("to",), f"touchpoint {change.from_!r} already leads to {change.to!r}"


def _add_transition(data: Data, change: AddTransition) -> None:
    source = _entity(data, "touchpoints", change.from_)
    target: Any = (
        change.to if change.weight is None else {"to": change.to, "weight": _number(change.weight)}
    )
    _write_list(source, "next", [*_as_list(source.get("next")), target])


def _check_remove_transition(data: Data, change: AddTransition) -> _Found:
    found = list(_check_transition_ends(data, change))
    yield from found
    source = _entity(data, "touchpoints", change.from_)
    if not found and change.to not in _targets(source):
        leads = ", ".join(_targets(source)) or "nowhere"
        yield (
            ("to",),
            f"touchpoint {change.from_!r} does not lead to {change.to!r} (it leads to {leads})",
        )
        return
    yield from _cycles_left_open(data, (change.from_, change.to))
    pair = [change.from_, change.to]
    for handoff in _items(data, "handoffs"):
        if any(list(p) == pair for p in _as_list(handoff.get("at"))):
            yield (
                ("to",),
                f"the handoff from {handoff.get('from')!r} to {handoff.get('to')!r} covers "
                f"{change.from_!r} -> {change.to!r} (at); rescope or remove it first",
            )


def _cycles_left_open(data: Data, removed: tuple[str, str]) -> _Found:
    """The intended cycles that would close no loop without the transition ``removed``."""
    steps: dict[str, set[str]] = {}
    marked = []
    for touchpoint in _items(data, "touchpoints"):
        for step in _as_list(touchpoint.get("next")):
            target = step if isinstance(step, str) else step.get("to")
            if (touchpoint.get("id"), target) != removed:
                steps.setdefault(touchpoint.get("id"), set()).add(target)
                if isinstance(step, dict) and step.get("cycle"):
                    marked.append((touchpoint.get("id"), target, step.get("cycle")))
    for source, target, cycle in marked:
        seen, todo = {target}, [target]
        while todo and source not in seen:
            for after in steps.get(todo.pop(), ()):
                if after not in seen:
                    seen.add(after)
                    todo.append(after)
        if source not in seen:
            yield (
                ("to",),
                f"without it, transition {source!r} -> {target!r} (cycle {cycle!r}) closes "
                "no loop; remove that cycle first (or its transition)",
            )


def _remove_transition(data: Data, change: AddTransition) -> None:
    source = _entity(data, "touchpoints", change.from_)
    kept = [
        t
        for t in _as_list(source.get("next"))
        if (t if isinstance(t, str) else t.get("to")) != change.to
    ]
    _write_list(source, "next", kept)


_KINDS: dict[str, tuple[Callable[[Data, Any], _Found], Callable[[Data, Any], None]]] = {
    "move_role": (_check_move_role, _move_role),
    "add_handoff": (_check_add_handoff, _add_handoff),
    "remove_handoff": (_check_declared, _remove_handoff),
    "rescope_handoff": (_check_rescope, _rescope_handoff),
    "add_function": (_check_add_function, _add_function),
    "remove_function": (_check_remove_function, _remove_function),
    "change_function": (_check_change_function, _change_function),
    "change_touchpoint": (_check_change_touchpoint, _change_touchpoint),
    "add_transition": (_check_add_transition, _add_transition),
    "remove_transition": (_check_remove_transition, _remove_transition),
}
