"""Every command that writes keeps the user's files: the overwrite policy and atomic writes.

Each writing command is tried against an existing file, against its own
input, against a read-only file and with a write that fails half way (a
file-size limit in a child process): the old content must survive byte for byte.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeygraph.cli import ExitCode, app
from journeygraph.io.files import MARKER
from tests.conftest import EXAMPLES, ROOT

B2B = str(EXAMPLES / "b2b-saas.yaml")
LOG = str(EXAMPLES / "b2b-saas-events.csv")
SCENARIO = str(EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml")
OLD = b"the user's own work\n"
runner = CliRunner()

# A command line per kind of file output; OUT stands for the target.
FILE_COMMANDS = {
    "audit-json": ["audit", B2B, "-f", "json", "--fail-on", "never", "-o", "OUT.json"],
    "audit-sarif": ["audit", B2B, "-f", "sarif", "--fail-on", "never", "-o", "OUT.sarif"],
    "matrix": ["matrix", B2B, "-f", "csv", "-o", "OUT.csv"],
    "render-svg": ["render", B2B, "--view", "handoffs", "-o", "OUT.svg"],
    "render-dot": ["render", B2B, "-o", "OUT.dot"],
    "export-yaml": ["export", B2B, "-o", "OUT.yaml"],
    "export-xlsx": ["export", B2B, "-o", "OUT.xlsx"],
    "export-graphml": ["export", B2B, "-o", "OUT.graphml"],
    "export-gexf": ["export", B2B, "-o", "OUT.gexf"],
    "export-mermaid": ["export", B2B, "-o", "OUT.mmd"],
    "import": ["import", "BOOK", "-o", "OUT.yaml"],
    "template": ["template", "-o", "OUT.xlsx"],
    "init": ["init", "OUT.yaml"],
    "diff": ["diff", B2B, B2B, "-o", "OUT.txt"],
    "scenario-apply": ["scenario", "apply", B2B, SCENARIO, "-o", "OUT.yaml"],
    "whatif-to-be": ["whatif", B2B, "--to-be", SCENARIO, "-o", "OUT.md", "-f", "markdown"],
    "schema": ["schema", "-o", "OUT.json"],
    "discover-json": ["discover", LOG, "-f", "json", "-o", "OUT.json"],
    "discover-emit-map": ["discover", LOG, "--emit-map", "OUT.yaml", "-f", "json"],
}
# Outputs checked before any connection is made, so no server is needed.
NEO4J_COMMANDS = {
    "neo4j-pull": ["neo4j", "pull", "j", "-o", "OUT.yaml"],
    "neo4j-audit": ["neo4j", "audit", "j", "-o", "OUT.json"],
}
FOLDER_COMMANDS = {
    "report": ["report", B2B, "-o", "OUT"],
    "export-csv": ["export", B2B, "-o", "OUT"],
    "discover-tables": ["discover", LOG, "--map", B2B, "--fail-on", "never", "-o", "OUT"],
}


def command(name: str, tmp_path: Path, out: Path) -> list[str]:
    """The command line ``name`` with its output at ``out`` (and a workbook for import)."""
    args = {**FILE_COMMANDS, **NEO4J_COMMANDS, **FOLDER_COMMANDS}[name]
    book = tmp_path / "book.xlsx"
    if "BOOK" in args and not book.exists():
        assert run("export", B2B, "-o", str(book))[0] == ExitCode.OK
    return [str(out) if a.startswith("OUT") else str(book) if a == "BOOK" else a for a in args]


def target(name: str, tmp_path: Path) -> Path:
    args = {**FILE_COMMANDS, **NEO4J_COMMANDS, **FOLDER_COMMANDS}[name]
    return tmp_path / next(a for a in args if a.startswith("OUT"))


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders the writer left behind."""
    return [p.name for p in folder.rglob("*.tmp")]


@pytest.mark.parametrize("name", [*FILE_COMMANDS, *NEO4J_COMMANDS])
def test_an_existing_file_is_kept_without_force(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    out.write_bytes(OLD)
    code, err = run(*command(name, tmp_path, out))
    assert code == ExitCode.ERROR
    assert f"{out} exists; choose another name or pass --force to replace it" in err
    assert out.read_bytes() == OLD


@pytest.mark.parametrize("name", list(FILE_COMMANDS))
def test_force_replaces_an_existing_file_whole(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    out.write_bytes(OLD)
    out.chmod(0o640)
    code, err = run(*command(name, tmp_path, out), "--force")
    assert code == ExitCode.OK, err
    assert out.read_bytes() != OLD
    assert out.stat().st_size > len(OLD)
    assert out.stat().st_mode & 0o777 == 0o640  # the user's permissions stay
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    mask = os.umask(0o022)
    try:
        assert run("schema", "-o", str(out))[0] == ExitCode.OK
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("name", ["export-yaml", "audit-json", "diff", "render-dot"])
def test_the_input_itself_is_refused_even_with_force(name: str, tmp_path: Path) -> None:
    # A YAML map whatever its suffix, so that it is both the map and the output.
    own = tmp_path / ("map" + target(name, tmp_path).suffix)
    shutil.copy(B2B, own)
    before = own.read_bytes()
    args = [str(own) if a == B2B else a for a in command(name, tmp_path, own)]
    code, err = run(*args, "--force")
    assert code == ExitCode.ERROR
    assert f"{own} is also an input of this command; write the output to another path" in err
    assert own.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "input_name"),
    [
        (["import", "BOOK", "-o", "BOOK"], "book.xlsx"),
        (["discover", "LOGCOPY", "-f", "json", "-o", "LOGCOPY"], "events.csv"),
        (["discover", "LOGCOPY", "--emit-map", "LOGCOPY"], "events.csv"),
        (["audit", B2B, "--config", "CONF", "-o", "CONF"], "config.yaml"),
        (["neo4j", "query", "CONF", "-o", "CONF"], "config.yaml"),
    ],
)
def test_other_inputs_are_refused_too(args: list[str], input_name: str, tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    run("export", B2B, "-o", str(book))
    shutil.copy(LOG, tmp_path / "events.csv")
    (tmp_path / "config.yaml").write_text("disable: [loop]\n", encoding="utf-8")
    own = tmp_path / input_name
    before = own.read_bytes()
    names = {"BOOK": book, "LOGCOPY": tmp_path / "events.csv", "CONF": tmp_path / "config.yaml"}
    code, err = run(*[str(names.get(a, a)) for a in args], "--force")
    assert code == ExitCode.ERROR
    assert "is also an input of this command" in err
    assert own.read_bytes() == before


def test_a_map_in_a_folder_of_maps_is_an_input(tmp_path: Path) -> None:
    shutil.copy(B2B, tmp_path / "a.yaml")
    before = (tmp_path / "a.yaml").read_bytes()
    code, err = run("audit", str(tmp_path), "-o", str(tmp_path / "a.yaml"), "--force")
    assert code == ExitCode.ERROR
    assert "is also an input" in err
    assert (tmp_path / "a.yaml").read_bytes() == before


@pytest.mark.parametrize("name", ["export-yaml", "render-svg", "schema", "template"])
def test_a_read_only_file_is_never_replaced(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    out.write_bytes(OLD)
    out.chmod(0o444)
    code, err = run(*command(name, tmp_path, out), "--force")
    assert code == ExitCode.ERROR
    assert f"{out} is read-only; journeygraph leaves it as it is" in err
    assert out.read_bytes() == OLD


def test_a_folder_where_a_file_is_expected_is_named(tmp_path: Path) -> None:
    code, err = run("schema", "-o", str(tmp_path))
    assert code == ExitCode.ERROR
    assert f"{tmp_path} is a folder; give a file name" in err


def test_a_file_where_a_folder_is_expected_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "existing.yaml"
    blocker.write_bytes(OLD)
    code, err = run("schema", "-o", str(blocker / "x.json"))
    assert code == ExitCode.ERROR
    assert f"{blocker} is a file, not a folder" in err
    code, err = run("report", B2B, "-o", str(blocker))
    assert code == ExitCode.ERROR
    assert f"{blocker} is a file; this output is a folder" in err
    assert blocker.read_bytes() == OLD


@pytest.mark.parametrize("name", list(FOLDER_COMMANDS))
def test_a_foreign_folder_is_not_written_without_force(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    out.mkdir()
    (out / "stages.csv").write_bytes(OLD)
    (out / "notes.txt").write_bytes(OLD)
    code, err = run(*command(name, tmp_path, out))
    assert code == ExitCode.ERROR
    assert "is a folder journeygraph did not write" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "stages.csv"]
    assert (out / "stages.csv").read_bytes() == OLD
    # With --force its files of the same name are replaced, the others kept.
    code, err = run(*command(name, tmp_path, out), "--force")
    assert code == ExitCode.OK, err
    assert (out / "notes.txt").read_bytes() == OLD
    assert (out / MARKER).is_file()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", list(FOLDER_COMMANDS))
def test_a_folder_journeygraph_wrote_is_regenerated(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    assert run(*command(name, tmp_path, out))[0] == ExitCode.OK
    written = sorted(p.name for p in out.iterdir())
    # A file it wrote that a later run does not write goes; the user's own stays.
    (out / MARKER).write_text((out / MARKER).read_text() + "stale.svg\n")
    (out / "stale.svg").write_bytes(OLD)
    (out / "mine.txt").write_bytes(OLD)
    code, err = run(*command(name, tmp_path, out))
    assert code == ExitCode.OK, err
    assert sorted(p.name for p in out.iterdir()) == sorted([*written, "mine.txt"])
    assert (out / "mine.txt").read_bytes() == OLD


def test_a_folder_holding_an_input_is_refused_even_with_force(tmp_path: Path) -> None:
    shutil.copy(B2B, tmp_path / "map.yaml")
    code, err = run("report", str(tmp_path / "map.yaml"), "-o", str(tmp_path), "--force")
    assert code == ExitCode.ERROR
    assert "an input of this command; write the output to another folder" in err
    csv_map = tmp_path / "csv"
    assert run("export", B2B, "-o", str(csv_map))[0] == ExitCode.OK
    code, err = run("export", str(csv_map), "-o", str(csv_map), "--force")
    assert code == ExitCode.ERROR
    assert "is also an input" in err


def test_a_folder_of_maps_that_gains_a_csv_map_is_refused(tmp_path: Path) -> None:
    shutil.copy(B2B, tmp_path / "b2b.yaml")
    run("export", B2B, "-o", str(tmp_path), "--force")
    code, err = run("validate", str(tmp_path))
    assert code == ExitCode.ERROR
    assert "holds a CSV map (touchpoints.csv) and map files too (b2b.yaml)" in err


def test_journeys_whose_ids_differ_in_special_characters_keep_their_own_diagrams(
    tmp_path: Path,
) -> None:
    maps = []
    for n, journey in enumerate(["a/b", "a:b"]):
        text = Path(B2B).read_text(encoding="utf-8").replace("id: b2b-saas", f"id: '{journey}'")
        maps.append(tmp_path / f"m{n}.yaml")
        maps[-1].write_text(text, encoding="utf-8")
    out = tmp_path / "report"
    code, err = run("report", *map(str, maps), "-o", str(out))
    assert code == ExitCode.OK, err
    flows = sorted(out.glob("*-flow*.svg"))
    assert len({p.name.split("-flow")[0] for p in flows}) == 2
    assert all(f"]({p.name})" in (out / "report.md").read_text() for p in flows)


# A write that fails half way: the child process may write at most LIMIT bytes a file.
LIMIT = 400


def _limited_run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    code = "import sys; from journeygraph.cli import main; sys.argv[0] = 'journeygraph'; main()"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "name", ["audit-json", "render-svg", "export-xlsx", "export-graphml", "schema", "import"]
)
def test_a_write_that_fails_half_way_leaves_the_old_file(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    out.write_bytes(OLD)
    done = _limited_run([*command(name, tmp_path, out), "--force"], ROOT)
    assert done.returncode == ExitCode.ERROR, done.stderr
    assert f"cannot write {out}: over the size a file may have here (the old file is kept)" in (
        done.stderr.replace("\n", " ")
    )
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", list(FOLDER_COMMANDS))
def test_a_folder_write_that_fails_half_way_leaves_the_old_folder(
    name: str, tmp_path: Path
) -> None:
    out = target(name, tmp_path)
    assert run(*command(name, tmp_path, out))[0] == ExitCode.OK
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = _limited_run(command(name, tmp_path, out), ROOT)
    assert done.returncode == ExitCode.ERROR, done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert leftovers(tmp_path) == []


def test_devices_and_pipes_are_written_to_not_replaced(tmp_path: Path) -> None:
    import stat
    import threading

    code, err = run("audit", B2B, "-f", "json", "--fail-on", "never", "-o", os.devnull)
    assert code == ExitCode.OK, err
    # No suffix would make discover's output a folder of tables; a device is never one.
    code, err = run("discover", LOG, "-f", "json", "-o", os.devnull)
    assert code == ExitCode.OK, err
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)  # still the device, not a file
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, err = run("schema", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == ExitCode.OK, err
    assert received[0].startswith(b"{")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# Symbolic links: never written through (docs/guarantees.md).
@pytest.mark.parametrize("name", [*FILE_COMMANDS, *NEO4J_COMMANDS])
def test_a_dangling_link_is_not_followed(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    elsewhere = tmp_path / "elsewhere" / "victim"
    out.symlink_to(elsewhere)
    code, err = run(*command(name, tmp_path, out))
    assert code == ExitCode.ERROR
    assert f"{out} is a symbolic link" in err
    assert not elsewhere.parent.exists()
    assert out.is_symlink()


@pytest.mark.parametrize("name", list(FILE_COMMANDS))
def test_force_replaces_the_link_not_what_it_points_to(name: str, tmp_path: Path) -> None:
    out = target(name, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    out.symlink_to(victim)
    code, err = run(*command(name, tmp_path, out), "--force")
    assert code == ExitCode.OK, err
    assert not out.is_symlink()
    assert out.stat().st_size > 0
    assert victim.read_bytes() == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["export-yaml", "audit-json", "diff", "render-dot", "schema"])
def test_a_link_to_an_input_is_the_input(name: str, tmp_path: Path) -> None:
    own = tmp_path / "map.yaml"
    shutil.copy(B2B, own)
    before = own.read_bytes()
    link = tmp_path / ("link" + target(name, tmp_path).suffix)
    link.symlink_to(own)
    args = [str(own) if a == B2B else a for a in command(name, tmp_path, link)]
    code, err = run(*args, "--force")
    if name == "schema":  # no input: the link itself is replaced, the map kept
        assert code == ExitCode.OK, err
        assert not link.is_symlink()
    else:
        assert code == ExitCode.ERROR
        assert "is also an input of this command" in err
    assert own.read_bytes() == before


@pytest.mark.parametrize("name", list(FOLDER_COMMANDS))
def test_a_linked_folder_is_refused(name: str, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_bytes(OLD)
    out = target(name, tmp_path)
    out.symlink_to(real, target_is_directory=True)
    code, err = run(*command(name, tmp_path, out), "--force")
    assert code == ExitCode.ERROR
    assert f"{out} is a symbolic link" in err
    assert [p.name for p in real.iterdir()] == ["keep.txt"]


def test_a_link_to_a_device_is_written_to(tmp_path: Path) -> None:
    link = tmp_path / "null.json"
    link.symlink_to(os.devnull)
    code, err = run("schema", "-o", str(link))
    assert code == ExitCode.OK, err
    assert link.is_symlink()


def test_dev_stdout_redirected_to_a_file_is_written_to(tmp_path: Path) -> None:
    # /dev/stdout then leads to that file: it is the stream, written to, never replaced.
    out = tmp_path / "redirected.json"
    with out.open("w") as handle:
        done = subprocess.run(
            [str(Path(sys.executable).with_name("journeygraph")), "schema", "-o", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == ExitCode.OK, done.stderr
    assert out.read_text().startswith("{")
    assert Path("/dev/stdout").is_symlink()


def test_a_folder_in_the_way_stops_a_folder_write_before_anything_is_replaced(
    tmp_path: Path,
) -> None:
    out = tmp_path / "report"
    assert run("report", B2B, "-o", str(out))[0] == ExitCode.OK
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (out / "report.md").unlink()
    (out / "report.md").mkdir()
    code, err = run("report", B2B, "-o", str(out))
    assert code == ExitCode.ERROR
    assert "report.md is a folder where the output has a file" in err
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == {n: b for n, b in before.items() if n != "report.md"}
