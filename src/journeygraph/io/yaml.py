"""Reading YAML with the position of every key and value.

Built on libyaml's event parser (PyYAML's ``CSafeLoader``) rather than on a
round-trip loader: on a 10,000-touchpoint map ruamel.yaml's round-trip loader
takes 23 s and PyYAML's node composer 2.2 s, while the event stream takes 0.3 s.
Scalars are resolved by the YAML 1.2 core schema, so ``no``, ``on`` and ``yes``
stay text (a stage called ``no`` is not ``False``).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Any

import yaml

from journeygraph.exceptions import Location, MapError, Problem
from journeygraph.io.source import COLUMNS, KeyPath, ListedPositions, SourceMap
from journeygraph.io.source import SECTIONS as _SECTIONS

__all__ = ["dump_yaml", "parse_yaml"]

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same result
    _Loader = yaml.SafeLoader

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
# Plain scalars starting with anything else are always text: the fast path.
_MAYBE_NUMBER = frozenset("0123456789-+.")
_KEYWORDS = {w: v for ws, v in ((_NULLS, None), (_TRUES, True), (_FALSES, False)) for w in ws}
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_intern = sys.intern
_NOT_READ = object()


def parse_yaml(text: str, file: str, *, every_position: bool = True) -> tuple[Any, SourceMap]:
    """Parse one YAML document, returning plain Python data and its positions.

    With ``every_position=False`` only the positions of entities, transitions
    and waivers are kept (a 100,000-touchpoint map holds 3 million others);
    the source map parses the text again the first time another is asked for.

    Raises
    ------
    MapError
        On invalid YAML, duplicate keys, several documents or unsupported tags,
        each problem with its ``file:line:col``.

    Examples
    --------
    >>> data, src = parse_yaml("stages:\\n  - id: no\\n", "m.yaml")
    >>> data
    {'stages': [{'id': 'no'}]}
    >>> str(src.locate(("stages", 0, "id")))
    'm.yaml:2:9'
    """
    builder = _Builder(file, every_position, text)
    try:
        data = builder.document(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = None
        if mark:
            line, column = (
                _LineMap(text).physical(mark.line, mark.column)
                if _has_yaml_only_breaks(text)
                else (mark.line, mark.column)
            )
            where = Location(file, line + 1, column + 1)
        what = err.problem or err.context or "invalid YAML"
        if mark is not None and _tab_at(text, mark.line, mark.column):
            what = "a tab here; YAML indents with spaces only: replace the tab with spaces"
        elif err.problem and err.context and err.context_mark:
            start = err.context_mark
            what += (
                f" ({err.context} that starts at line {start.line + 1}, column {start.column + 1})"
            )
        raise MapError([Problem(f"invalid YAML: {what}", where)]) from None
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line, column = before.count("\n") + 1, err.position - (before.rfind("\n") + 1) + 1
        raise MapError(
            [
                Problem(
                    f"character U+{err.character:04X} is not allowed in YAML; remove it, or "
                    f'write it escaped inside double quotes ("\\u{err.character:04x}")',
                    Location(file, line, column),
                )
            ]
        ) from None
    except yaml.YAMLError as err:
        raise MapError([Problem(f"invalid YAML: {err}", Location(file, 1, 1))]) from None
    except RecursionError:
        raise MapError([Problem("the YAML is nested too deeply", Location(file, 1, 1))]) from None
    if builder.problems:
        raise MapError(builder.problems)
    if not every_position:
        builder.source.reparse = lambda: parse_yaml(text, file)[1]
    return data, builder.source


class _Builder:
    """Turns the event stream into plain data, noting positions on the way.

    Two ways through the events: with ``every_position`` each node's path and
    position are recorded (`_node`, `_mapping`, `_sequence`); without it (a parse
    for auditing: some 3 million events at 100,000 touchpoints) only the items of
    the lists an audit points at are (`_listed`), and everything else is built by
    `_plain_mapping` and `_plain_sequence`, which read the common events inline
    and hand anything unusual (anchors, aliases, tags, merge keys) to `_node`,
    the one place that knows them.
    """

    def __init__(self, file: str, every_position: bool = True, text: str = "") -> None:
        self.source = SourceMap(file)
        self._lines = _LineMap(text) if _has_yaml_only_breaks(text) else None
        self._every = every_position
        self.problems: list[Problem] = []
        self._anchors: dict[str, Any] = {}
        self._get: Callable[[], Any] = _no_event
        # The value of each plain scalar's text read so far, but numbers: ids
        # recur in every reference to them.
        self._plain: dict[str, Any] = dict(_KEYWORDS)
        if not every_position:
            self.source.listed = ListedPositions()

    def document(self, text: str) -> Any:
        """The data of ``text``'s one document (and a problem for each further one)."""
        loader = _Loader(text)
        try:
            # The parser's own events, asked for one at a time: `yaml.parse`
            # wraps each in a generator step and a second call to the parser.
            self._get = loader.get_event
            return self._events()
        finally:
            self._get = _no_event
            loader.dispose()

    def _events(self) -> Any:
        data: Any = None
        documents = 0
        get = self._get
        while (event := get()) is not None:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._problem(event, "a map file holds one YAML document; remove the '---'")
            elif isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            elif isinstance(event, yaml.StreamEndEvent):
                break
            else:
                value = self._root(event)
                if documents <= 1:
                    data = value
        return data

    def _root(self, event: yaml.Event) -> Any:
        if self._every:
            return self._node(event, ())
        self.source.values[()] = self._position(event)
        if event.__class__ is _MAPPING_START and event.anchor is None:
            return self._plain_mapping(_TOP_KEPT, ())
        return self._node(event, None)

    def _position(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        if mark is None:
            return (0, 0)
        if self._lines is None:
            return (mark.line, mark.column)
        return self._lines.physical(mark.line, mark.column)

    def _problem(self, event: yaml.Event, message: str) -> None:
        line, column = self._position(event)
        self.problems.append(Problem(message, Location(self.source.file, line + 1, column + 1)))

    def _node(self, event: Any, path: KeyPath | None) -> Any:
        """The value of the node ``event`` starts; its position and those below it
        recorded unless ``path`` is None."""
        if path is not None:
            self.source.values[path] = self._position(event)
        value: Any
        # PyYAML's event classes have no subclasses.
        kind = event.__class__
        if kind is _MAPPING_START:
            value = self._plain_mapping() if path is None else self._mapping(path)
        elif kind is _SEQUENCE_START:
            value = self._plain_sequence() if path is None else self._sequence(path)
        elif kind is _SCALAR:
            value = self._scalar(event)
        elif kind is yaml.AliasEvent:
            if event.anchor is None or event.anchor not in self._anchors:
                self._problem(event, f"unknown alias *{event.anchor}")
                return None
            return self._anchors[event.anchor]
        else:  # pragma: no cover - the parser yields nothing else here
            self._problem(event, f"unexpected YAML {type(event).__name__}")
            return None
        anchor = getattr(event, "anchor", None)
        if anchor:
            self._anchors[anchor] = value
        return value

    def _sequence(self, path: KeyPath) -> list[Any]:
        items: list[Any] = []
        get = self._get
        while (event := get()).__class__ is not _SEQUENCE_END:
            items.append(self._node(event, (*path, len(items))))
        return items

    def _mapping(self, path: KeyPath) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        merged: list[dict[str, Any]] = []
        get = self._get
        while (key_event := get()).__class__ is not _MAPPING_END:
            # Keys are text as written: `1:` and `true:` are the keys "1" and "true".
            key = key_event.value if key_event.__class__ is _SCALAR else None
            if key is None or (key == "<<" and key_event.implicit[0]):
                self._odd_key(key_event, path, merged)
                continue
            if key in mapping:
                self._problem(key_event, f"duplicate key {key!r}; keep one")
            child = (*path, key)
            self.source.keys[child] = self._position(key_event)
            mapping[key] = self._node(get(), child)
        return _merged(mapping, merged)

    def _plain_mapping(self, kept: _Kept | None = None, path: KeyPath = ()) -> dict[str, Any]:
        """`_mapping` without positions, but for the lists below the keys ``kept`` names
        (``path`` is the mapping's)."""
        mapping: dict[str, Any] = {}
        merged: list[dict[str, Any]] = []
        get = self._get
        plain = self._plain
        while True:
            key_event = get()
            if key_event.__class__ is not _SCALAR:
                if key_event.__class__ is _MAPPING_END:
                    return _merged(mapping, merged) if merged else mapping
                self._odd_key(key_event, None, merged)
                continue
            key = key_event.value
            if key == "<<" and key_event.implicit[0]:
                self._odd_key(key_event, None, merged)
                continue
            if key in mapping:
                self._problem(key_event, f"duplicate key {key!r}; keep one")
            event = get()
            if kept is not None and key in kept:
                mapping[key] = kept[key](self, event, (*path, key))
            # An untagged scalar read here: most of a large map. Without a tag a
            # scalar has a style (quotes, a block) exactly where it is not plain.
            elif event.__class__ is _SCALAR and event.tag is None and event.anchor is None:
                if event.style:
                    mapping[key] = event.value
                elif (value := plain.get(event.value, _NOT_READ)) is not _NOT_READ:
                    mapping[key] = value
                else:
                    mapping[key] = self._first_plain(event)
            elif event.__class__ is _MAPPING_START and event.anchor is None:
                mapping[key] = self._plain_mapping()
            elif event.__class__ is _SEQUENCE_START and event.anchor is None:
                mapping[key] = self._plain_sequence()
            else:
                mapping[key] = self._node(event, None)

    def _plain_sequence(self) -> list[Any]:
        """`_sequence` without positions: the lists of transitions and owners of a large map."""
        items: list[Any] = []
        append = items.append
        get = self._get
        plain = self._plain
        while True:
            event = get()
            kind = event.__class__
            if kind is _SCALAR and event.tag is None and event.anchor is None:
                if event.style:
                    append(event.value)
                elif (value := plain.get(event.value, _NOT_READ)) is not _NOT_READ:
                    append(value)
                else:
                    append(self._first_plain(event))
            elif kind is _SEQUENCE_END:
                return items
            elif kind is _MAPPING_START and event.anchor is None:
                append(self._plain_mapping())
            else:
                append(self._node(event, None))

    def _first_plain(self, event: Any) -> Any:
        """The value of an untagged plain scalar whose text was not read before."""
        text = event.value
        if not text or text[0] in _MAYBE_NUMBER:
            # Numbers are not remembered: few, and too long a one is a problem
            # at each place.
            return self._scalar(event)
        value = self._plain[text] = _intern(text)
        return value

    def _listed(self, event: Any, path: KeyPath) -> Any:
        """The value at ``path``; if a list, with the position of each of its items kept
        (the entities of a section, a touchpoint's transitions, the waivers)."""
        if event.__class__ is not _SEQUENCE_START or event.anchor is not None:
            return self._node(event, None)
        kept = _TOUCHPOINT_KEPT if path == ("touchpoints",) else None
        items: list[Any] = []
        positions: list[int] = []
        get = self._get
        lines = self._lines
        while (event := get()).__class__ is not _SEQUENCE_END:
            if lines is None:
                mark = event.start_mark
                positions.append(mark.line * COLUMNS + mark.column)
            else:
                line, column = self._position(event)
                positions.append(line * COLUMNS + column)
            kind = event.__class__
            if kind is _SCALAR and event.tag is None and event.anchor is None:
                value = event.value if event.style else self._plain.get(event.value, _NOT_READ)
                items.append(self._first_plain(event) if value is _NOT_READ else value)
            elif kind is _MAPPING_START and event.anchor is None:
                items.append(self._plain_mapping(kept, (*path, len(items))))
            elif kind is _SEQUENCE_START and event.anchor is None:
                items.append(self._plain_sequence())
            else:
                items.append(self._node(event, None))
        if self.source.listed is not None:
            self.source.listed.add(path, positions)
        return items

    def _audit(self, event: Any, path: KeyPath) -> Any:
        """The audit section, with the positions of its waivers kept."""
        if event.__class__ is _MAPPING_START and event.anchor is None:
            return self._plain_mapping(_AUDIT_KEPT, path)
        return self._node(event, None)

    def _odd_key(
        self, key_event: yaml.Event, path: KeyPath | None, merged: list[dict[str, Any]]
    ) -> None:
        """A key that is a list or mapping (a problem), or a merge key (its mappings
        added to ``merged``)."""
        if key_event.__class__ is not _SCALAR:
            self._problem(key_event, "a key must be plain text, not a list or mapping")
            odd = None if path is None else (*path, "?")
            self._node(key_event, odd)
            self._node(self._get(), odd)
            return
        value_event = self._get()
        value = self._node(value_event, None if path is None else (*path, "<<"))
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, dict) for v in values):
            self._problem(
                value_event,
                "a merge key (<<) takes an alias of a mapping (<<: *name) or a list "
                "of them; to use '<<' as a key, quote it",
            )
        merged.extend(v for v in values if isinstance(v, dict))

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        text = event.value
        if event.tag not in (None, "!"):
            if event.tag == _STR_TAG:
                return text
            if event.tag.startswith("tag:yaml.org,2002:") and event.tag[18:] in {
                "int",
                "float",
                "bool",
                "null",
            }:
                try:
                    return _resolve_plain(text)
                except ValueError:
                    self._problem(event, f"a number of {len(text):,} digits")
                    return text
            self._problem(event, f"unsupported YAML tag {event.tag!r}; remove it")
            return text
        if not event.implicit[0]:  # quoted or block scalar: always text
            return text
        if text in _KEYWORDS:
            return _KEYWORDS[text]
        if text[0] not in _MAYBE_NUMBER:
            return _plain_text(text)
        try:
            return _resolve_plain(text)
        except ValueError:  # Python reads at most 4,300 digits
            self._problem(event, f"a number of {len(text):,} digits; quote it if it is text")
            return text


_Kept = dict[str, Callable[[_Builder, Any, KeyPath], Any]]
"""Readers of the values of some keys of a mapping, given the value's event and path."""

# The keys below which the items of a list keep their positions, by where their
# mapping stands: the map itself, a touchpoint, the audit section. (Functions,
# not a builder's bound methods: those would make each builder a cycle, kept
# with its table of texts read until the collector ran.)
_TOP_KEPT: _Kept = {**dict.fromkeys(_SECTIONS, _Builder._listed), "audit": _Builder._audit}
_TOUCHPOINT_KEPT: _Kept = {"next": _Builder._listed}
_AUDIT_KEPT: _Kept = {"waivers": _Builder._listed}


def _no_event() -> None:
    """What a builder reads outside `_Builder.document`: no events."""
    return None


def _merged(mapping: dict[str, Any], merged: list[dict[str, Any]]) -> dict[str, Any]:
    """``mapping`` with the keys of the mappings of its merge keys it lacks."""
    for extra in merged:
        for key, value in extra.items():
            mapping.setdefault(key, value)
    return mapping


def _plain_text(text: str) -> Any:
    """A plain scalar that cannot be a number: a keyword's value, or the text itself."""
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    # Ids recur in every reference to them: one string each saves a tenth of a
    # large map's memory and speeds up the lookups.
    return sys.intern(text)


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the character at a 0-based line and column of ``text`` is a tab."""
    lines = text.split("\n", line + 1)
    return line < len(lines) and lines[line][column : column + 1] == "\t"


# YAML 1.1 (libyaml) also breaks lines at NEL, LS and PS; editors do not.
def _has_yaml_only_breaks(text: str) -> bool:
    """Whether ``text`` has a line break that libyaml counts and editors do not.

    Three searches for one character each: a pattern of the three took a
    tenth of a second on a 15 MB map.
    """
    return "\x85" in text or "\u2028" in text or "\u2029" in text


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class _LineMap:
    """Turns libyaml's line and column into the line and column an editor shows."""

    def __init__(self, text: str) -> None:
        self._text = text
        # Where each of libyaml's lines starts, as an offset into the text.
        self._starts = [0, *(m.end() for m in _YAML_BREAKS.finditer(text))]

    def physical(self, line: int, column: int) -> tuple[int, int]:
        offset = self._starts[min(line, len(self._starts) - 1)] + column
        before = self._text[:offset]
        start = max(before.rfind("\n"), before.rfind("\r")) + 1
        return (before.count("\n") + before.count("\r") - before.count("\r\n"), offset - start)


def _resolve_plain(text: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text[0] == "-" else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


# Anything but printable text and plain line feeds goes in double quotes, where
# YAML escapes it (a raw NEL or CR would read back as a line break).
_UNPRINTABLE = re.compile(r"[^\n\S ]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _MapDumper(_Dumper):  # type: ignore[misc]
    """PyYAML's dumper writes YAML 1.1; quote what YAML 1.2 would read as non-text.

    libyaml's emitter (``CSafeDumper``) writes a megabyte of text in milliseconds,
    where PyYAML's own took 15-20 s.
    """


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    needs_quotes = (
        text == ""
        or _UNPRINTABLE.search(text) is not None
        or text in _KEYWORDS
        or (text[0] in _MAYBE_NUMBER and not isinstance(_resolve_plain(text), str))
        or text != text.strip()
    )
    # PyYAML falls back to double quotes where a literal block cannot hold the text.
    style = '"' if needs_quotes else ("|" if "\n" in text else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_MapDumper.add_representer(str, _represent_text)


def dump_yaml(data: Any, *, header: str = "") -> str:
    """YAML text of plain data that :func:`parse_yaml` reads back to the same data.

    Examples
    --------
    >>> text = dump_yaml({"id": "0E0", "name": "no", "n": 1})
    >>> parse_yaml(text, "x")[0]
    {'id': '0E0', 'name': 'no', 'n': 1}
    """
    body = yaml.dump(
        data, Dumper=_MapDumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    return header + body
