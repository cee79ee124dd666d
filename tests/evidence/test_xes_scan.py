"""The fast XES scan against the element-building reader: the same rows, bad rows and lines,
or no scan at all (the log read the other way) wherever the scan cannot be sure."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeygraph.evidence import read_log
from journeygraph.evidence.reading import xes
from journeygraph.evidence.reading.xes_events import XesLog, XesOptions
from journeygraph.evidence.reading.xes_scan import ScannedLines, scan_xes
from journeygraph.exceptions import LogError
from tests.conftest import EXAMPLES

HELPDESK = EXAMPLES / "helpdesk.xes.gz"


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Any, Any]:
    """What `read_log` gives with the scan, and with the element-building reader alone."""

    def seen(log: Any) -> Any:
        rows = log.connection.execute("SELECT * FROM log_rows ORDER BY rowid").fetchall()
        lines = [log.dialect.lines[k] for k in range(len(log.dialect.lines))]
        examples = [str(e) for e in log.examples]
        return rows, log.bad, examples, log.events, log.cases, log.notes, lines

    scanned = read_log(path, **options)
    with monkeypatch.context() as patched:
        patched.setattr(xes, "scan_xes", lambda *_: None)
        built = read_log(path, **options)
    assert isinstance(built.dialect, XesLog)
    assert not isinstance(built.dialect.lines, ScannedLines)
    return (scanned, seen(scanned)), (built, seen(built))


@pytest.mark.parametrize("lifecycle", ["complete", "all"])
def test_the_helpdesk_log_scanned_is_the_log_read(
    lifecycle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (scanned, fast), (_, slow) = _both(HELPDESK, monkeypatch, lifecycle=lifecycle)
    assert isinstance(scanned.dialect.lines, ScannedLines)
    assert fast == slow
    assert len(fast[0]) == 21_348


@pytest.mark.parametrize("block", [7, 8, 13, 4096, 1 << 22])
def test_the_scan_is_the_same_whatever_the_reads(
    block: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags, the header and traces cut across reads anywhere: the same file each time
    (reads of 7 bytes cut every ``<trace>`` tag; 4 MB hold the whole log at once)."""
    from journeygraph.evidence.reading import xes_scan

    expected = tmp_path / "expected.tsv"
    assert scan_xes(HELPDESK, expected, XesOptions(lifecycle="all")) is not None
    monkeypatch.setattr(xes_scan, "_BLOCK", block)
    got = tmp_path / "got.tsv"
    assert scan_xes(HELPDESK, got, XesOptions(lifecycle="all")) is not None
    assert got.read_bytes() == expected.read_bytes()


def _log(tmp_path: Path, traces: str, header: str = "") -> Path:
    path = tmp_path / "log.xes"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n{header}{traces}</log>\n',
        encoding="utf-8",
    )
    return path


def _e(*attributes: str, tag: str = "event") -> str:
    return f"<{tag}>" + "".join(attributes) + f"</{tag}>\n"


def _a(key: str, value: str, kind: str = "string") -> str:
    return f'\t<{kind} key="{key}" value="{value}"/>\n'


T1 = _a("time:timestamp", "2024-05-01T10:00:00+02:00", "date")
T2 = _a("time:timestamp", "2024-05-01T11:00:00+02:00", "date")

PLAIN = {
    "ordinary": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad"), T1),
        _e(_a("concept:name", "shop"), T2),
        tag="trace",
    ),
    "the case named after its events": _e(
        "  <event>" + _a("concept:name", "ad") + T1 + "  </event>\n",
        _a("concept:name", "c1"),
        tag="trace",
    ),
    "entities in values": _e(
        _a("concept:name", "a&amp;b &#233;"),
        _e(
            _a("concept:name", "&lt;ad&gt; &quot;x&quot; &apos;"),
            T1,
            _a("org:resource", "R&#x26;D"),
        ),
        tag="trace",
    ),
    "a resource given empty is the performer, not the group": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad"), T1, _a("org:resource", ""), _a("org:group", "team")),
        _e(_a("concept:name", "shop"), T2, _a("org:group", "team")),
        tag="trace",
    ),
    "a key given twice: the last": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad"), _a("concept:name", "shop"), T1, T2),
        tag="trace",
    ),
    "transitions: empty, mixed case, none": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad"), T1, _a("lifecycle:transition", "")),
        _e(_a("concept:name", "ad"), T1, _a("lifecycle:transition", "Start")),
        _e(_a("concept:name", "ad"), T2, _a("lifecycle:transition", "COMPLETE")),
        _e(_a("concept:name", "shop"), T2),
        tag="trace",
    ),
    "no complete event: every one kept": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad"), T1, _a("lifecycle:transition", "start")),
        tag="trace",
    ),
    "bad rows at their lines": _e(
        _a("concept:name", "c1"),
        _e(_a("concept:name", "ad")),
        _e(T1),
        _e(_a("concept:name", "x"), _a("time:timestamp", "no")),
        tag="trace",
    )
    + _e(_e(_a("concept:name", "ad"), T1), tag="trace"),
    "other attributes, log attributes after the traces": _e(
        _a("concept:name", "c1"),
        _a("amount", "12", "int"),
        _e(_a("concept:name", "ad"), _a("cost", "1.5", "float"), T1),
        tag="trace",
    )
    + _a("concept:name", "the log"),
}
"""Logs the scan reads."""

NOT_PLAIN = {
    "a nested attribute": _e(
        _a("concept:name", "c1"),
        _e('<string key="concept:name" value="ad"><string key="x" value="y"/></string>', T1),
        tag="trace",
    ),
    "a comment among the events": _e(
        _a("concept:name", "c1"), "<!-- a -->", _e(_a("concept:name", "ad"), T1), tag="trace"
    ),
    "an event outside a trace": _e(_a("concept:name", "ad"), T1),
    "a character reference to a tab": _e(
        _a("concept:name", "c&#9;1"), _e(_a("concept:name", "ad"), T1), tag="trace"
    ),
    "a line break inside a value": _e(
        _a("concept:name", "c\n1"), _e(_a("concept:name", "ad"), T1), tag="trace"
    ),
    "single quotes": _e(
        _a("concept:name", "c1"), _e("<string key='concept:name' value='ad'/>", T1), tag="trace"
    ),
    "a trace with an XML attribute": '<trace id="1">'
    + _a("concept:name", "c1")
    + _e(_a("concept:name", "ad"), T1)
    + "</trace>\n",
}
"""Logs the scan leaves to the element-building reader."""

NOT_XML = {
    "an & alone": _e(_a("concept:name", "c&1"), _e(_a("concept:name", "ad"), T1), tag="trace"),
    "an entity no DOCTYPE declares": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "&nbsp;"), T1), tag="trace"
    ),
    "a reference to no character of XML's": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "a&#1;"), T1), tag="trace"
    ),
    "a reference past the last character": _e(
        _a("concept:name", "c1"), _e(_a("other", "&#x110000;"), T1), tag="trace"
    ),
    "a control character in a value": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "a\x01b"), T1), tag="trace"
    ),
    "U+FFFE in a value of no use": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "ad"), _a("x", "\ufffe"), T1), tag="trace"
    ),
    "a form feed between elements": _e(
        _a("concept:name", "c1"), "\f", _e(_a("concept:name", "ad"), T1), tag="trace"
    ),
    "a name starting with a digit": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "ad", "1x"), T1), tag="trace"
    ),
    "a name with a character no name holds": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "ad", "str$ng"), T1), tag="trace"
    ),
    "an unbound prefix": _e(
        _a("concept:name", "c1"), _e(_a("concept:name", "ad", "x:string"), T1), tag="trace"
    ),
    "a trace after the log's end": "</log>\n" + _e(_a("concept:name", "c1"), tag="trace"),
    "an element left open": _e(_a("concept:name", "c1"), "<string>", tag="trace"),
}
"""Logs that are not well-formed XML: the scan refuses them, the other reader says where."""


@pytest.mark.parametrize("name", sorted(PLAIN))
@pytest.mark.parametrize("lifecycle", ["complete", "all"])
def test_a_plain_log_is_scanned_as_it_is_read(
    name: str, lifecycle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path, PLAIN[name])
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions(lifecycle=lifecycle)) is not None
    (_, fast), (_, slow) = _both(path, monkeypatch, lifecycle=lifecycle)
    assert fast == slow


@pytest.mark.parametrize("name", sorted(NOT_PLAIN))
def test_any_other_log_is_left_to_the_element_building_reader(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _log(tmp_path, NOT_PLAIN[name])
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None
    (scanned, fast), (_, slow) = _both(path, monkeypatch)
    assert not isinstance(scanned.dialect.lines, ScannedLines)
    assert fast == slow


@pytest.mark.parametrize(
    "header",
    [
        "<!-- <trace> -->\n",  # a trace in a comment: the header is not trusted
        '<!DOCTYPE log [<!ENTITY x "y">]>\n',
        "<!-- a comment left open\n",
        # Instructions left open, many: refused in one pass (a search for each one's end
        # from each one's start would take hours).
        "<?x " * 200_000,
        # An event or trace of another prefix: the element-building reader reads it.
        '<x:event xmlns:x="urn:x"><string key="concept:name" value="zz"/></x:event>\n',
        '<x:trace xmlns:x="urn:x"><string key="concept:name" value="cx"/></x:trace>\n',
    ],
    ids=[
        "a trace in a comment",
        "a DOCTYPE",
        "a comment left open",
        "instructions left open",
        "a prefixed event",
        "a prefixed trace",
    ],
)
def test_a_header_that_could_hide_a_trace_is_not_scanned(header: str, tmp_path: Path) -> None:
    traces = _e(_a("concept:name", "c1"), _e(_a("concept:name", "ad"), T1), tag="trace")
    path = _log(tmp_path, traces, header=header.replace("<!DOCTYPE", "<!-- -->\n<!DOCTYPE"))
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None


@pytest.mark.parametrize("name", sorted(NOT_XML))
def test_xml_that_is_not_well_formed_is_not_scanned(name: str, tmp_path: Path) -> None:
    """No parser checks the traces beside the scan: its tokens are XML as XML has them, and
    anything else leaves the log to the element-building reader, which reports it."""
    path = _log(tmp_path, NOT_XML[name])
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None
    with pytest.raises(LogError):
        read_log(path, lifecycle="all")


@pytest.mark.parametrize("header", ["</log>\n<log>\n", "<global>\n", "<extension name='x'>\n"])
def test_a_header_that_is_not_well_formed_is_not_scanned(header: str, tmp_path: Path) -> None:
    traces = _e(_a("concept:name", "c1"), _e(_a("concept:name", "ad"), T1), tag="trace")
    path = _log(tmp_path, traces, header=header)
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None
    with pytest.raises(LogError):
        read_log(path, lifecycle="all")


def test_a_prefixed_root_is_not_scanned(tmp_path: Path) -> None:
    """The header is checked closed by ``</log>``: a root named otherwise leaves the scan."""
    path = tmp_path / "log.xes"
    path.write_text(
        '<x:log xmlns:x="http://www.xes-standard.org/">\n'
        + _e(_a("concept:name", "c1"), _e(_a("concept:name", "ad"), T1), tag="trace")
        + "</x:log>\n",
        encoding="utf-8",
    )
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None


def test_a_log_in_another_encoding_is_not_scanned(tmp_path: Path) -> None:
    path = tmp_path / "log.xes"
    path.write_bytes(
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<log><trace>'
        b'<string key="concept:name" value="caf\xe9"/></trace></log>\n'
    )
    assert scan_xes(path, tmp_path / "out.tsv", XesOptions()) is None
    assert read_log(path, lifecycle="all").events == 0


def test_xml_that_is_not_well_formed_is_reported_at_its_place(tmp_path: Path) -> None:
    """The scan stops; the element-building reader says where, as before."""
    data = gzip.decompress(HELPDESK.read_bytes()).decode("utf-8").splitlines(keepends=True)
    middle = len(data) // 2
    data[middle] = data[middle].replace("/>", ">", 1)
    broken = tmp_path / "broken.xes"
    broken.write_text("".join(data), encoding="utf-8")
    assert scan_xes(broken, tmp_path / "out.tsv", XesOptions()) is None
    with pytest.raises(LogError) as caught:
        read_log(broken)
    location = caught.value.problems[0].location
    assert location is not None
    assert middle + 1 <= location.line <= middle + 15


_SNIPPETS = [
    "&amp;", "&#9;", "&#233;", "&lt;", "<!-- c -->", "\t", "\n", "\r", "\r\n", '"', "'",
    "<", "x", " ", "<event>", "</event>", "<trace>", "</trace>", "/>", "é",
    '<string key="concept:name" value="n"/>', '<string key="org:resource" value=""/>',
    '<string key="lifecycle:transition" value="start"/>',
    # Not XML, each: the scan must refuse them as libxml2 does.
    "&", "&nbsp;", "&#1;", "&#xFFFE;", "\x01", "\x0c", "\xa0", "\ufffe", "1", "$", ":", "=",
    "</log>", "<x:string key=\"a\" value=\"b\"/>", "<string key=\"a\" key=\"b\"/>",
]  # fmt: skip


def _small_helpdesk() -> bytes:
    """The first traces of the Helpdesk log, as a whole XES document."""
    text = gzip.decompress(HELPDESK.read_bytes())
    cut = text.index(b"<trace>")
    for _ in range(3):
        cut = text.index(b"<trace>", cut + 1)
    return text[:cut] + b"</log>\n"


@settings(max_examples=40, deadline=None, database=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from(_SNIPPETS)), min_size=1, max_size=3
    ),
    lifecycle=st.sampled_from(["complete", "all"]),
)
def test_an_edited_log_is_scanned_as_it_is_read_or_refused_alike(
    edits: list[tuple[int, str]], lifecycle: str
) -> None:
    """Edits anywhere in a plain log (entities, comments, quotes, line breaks, tags): the
    scan gives what the element-building reader gives, or the same error."""
    import tempfile

    data = _small_helpdesk()
    for at, snippet in edits:
        where = at % (len(data) + 1)
        data = data[:where] + snippet.encode("utf-8") + data[where:]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "log.xes"
        path.write_bytes(data)
        try:
            (_, fast), (_, slow) = _both(path, patch, lifecycle=lifecycle)
        except LogError as error:
            scanned_error = error
        else:
            assert fast == slow
            return
        patch.setattr(xes, "scan_xes", lambda *_: None)
        with pytest.raises(LogError) as built_error:
            read_log(path, lifecycle=lifecycle)
        assert built_error.value.problems == scanned_error.problems
