"""The shape of the code (docs/architecture.md): one-way imports, one publishing path, no banners."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scoreboard"
# Alembic's scripts are generated and run by Alembic, not imported by the app.
SKIPPED = {PACKAGE / "migrations"}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(skipped in path.parents for skipped in SKIPPED):
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_modules(name: str, path: Path, node: ast.AST, known) -> set[str]:
    """The package's modules one import statement loads: `from . import x` names module x."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if node.level:
        base = package.split(".")
        base = base[:len(base) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        found.add(submodule if submodule in known else source)
    return found & set(known)


def comment_above(lines: list[str], lineno: int) -> bool:
    """An import inside a function says why: a comment on its line or the line above."""
    return "#" in lines[lineno - 1] or lines[lineno - 2].strip().startswith("#")


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """Module → the package's modules it imports at its top; plus the un-commented inner imports."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    inner: list[str] = []
    for name, path in known.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        top_level = set(map(id, tree.body))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if id(node) not in top_level and not comment_above(lines, node.lineno):
                inner.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            graph[name] |= imported_modules(name, path, node, known) - {name}
    return graph, inner


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle found by a depth-first walk (each reported once, from where it closes)."""
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_import_graph_walker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_the_packages_modules():
    graph, _inner = import_graph()
    assert "scoreboard.realtime" in graph["scoreboard.services.publish"]  # the walk sees imports
    assert cycles(graph) == []


def test_no_import_inside_a_function_without_a_reason():
    _graph, inner = import_graph()
    assert inner == []


def test_realtime_imports_no_service_and_only_publish_imports_realtime():
    graph, _inner = import_graph()
    assert not {m for m in graph["scoreboard.realtime"] if m.startswith("scoreboard.services")}
    importers = {name for name, targets in graph.items() if "scoreboard.realtime" in targets}
    # The app factory imports realtime once to register the /live handlers.
    assert importers == {"scoreboard", "scoreboard.services.publish"}


def push_offenders(name: str, source: str) -> list[str]:
    """Why a module's source pushes around the publishing path, if it does."""
    offenders = []
    if name != "scoreboard.realtime" and re.search(r"\bsocketio\.emit\b|\bemit\(", source):
        offenders.append(f"{name}: emits")
    if name not in ("scoreboard.realtime", "scoreboard.services.publish") and re.search(
            r"realtime\.(publish|emit)_\w+|\b(publish|emit)_(standings|overall|hall|progress|now_performing)\(",
            source):
        offenders.append(f"{name}: pushes around services.publish")
    return offenders


def test_the_push_check_finds_a_service_that_pushes_by_itself():
    rogue = "from .. import realtime\n\ndef save(contest):\n    realtime.emit_standings(board)\n"
    assert push_offenders("scoreboard.services.rogue", rogue) == [
        "scoreboard.services.rogue: pushes around services.publish"]
    assert push_offenders("scoreboard.admin", "socketio.emit('standings', {})") == [
        "scoreboard.admin: emits"]


def test_every_push_starts_from_the_publishing_path():
    """No module but realtime emits, and no module but services.publish calls realtime's emits."""
    assert [offence for name, path in modules().items()
            for offence in push_offenders(name, path.read_text(encoding="utf-8"))] == []


BANNER = re.compile(r"^\s*(#|//|/\*|\{#)\s*(---|===)|^\s*(#|//).*-{10,}\s*$", re.MULTILINE)
# "No file over about 400 lines" (issue 11): a file boundary is the section.
LONGEST = 420


def our_files() -> list[Path]:
    """The code we write: the package, templates, our own scripts and styles, the tests."""
    files = list(modules().values())
    files += sorted((ROOT / "templates").rglob("*.html"))
    files += sorted((ROOT / "static" / "js").glob("*.js")) + sorted((ROOT / "static" / "css").glob("*.css"))
    files += sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").glob("*.py"))
    return files


def test_the_banner_check_sees_a_banner():
    assert BANNER.search("x = 1\n# --- penalties ------------------\n")
    assert BANNER.search("  // --- wiring ---\n") and not BANNER.search("# a comment that says why\n")


def test_no_banner_comments_anywhere():
    assert [str(path.relative_to(ROOT)) for path in our_files()
            if BANNER.search(path.read_text(encoding="utf-8"))] == []


def test_no_module_is_longer_than_about_400_lines():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
               for path in modules().values()}
    assert {name: length for name, length in lengths.items() if length > LONGEST} == {}


ROLLBACK = re.compile(r"\.rollback\(\)")
ERROR_CLASS = re.compile(r"^class (\w+)\((\w+)\):", re.MULTILINE)
# Services own their transactions (rolls_back); only the session machinery itself may roll back.
MAY_ROLL_BACK = {"scoreboard.eventloop"}
# Errors that are not use cases refusing: a number the engine cannot hold, an archive file that
# does not parse (the CLI names the place in the file), a venue address the server cannot use.
NOT_USE_CASE_ERRORS = {"NumberTooLarge", "ArchiveError", "VenueError"}


def rollbacks_outside_services() -> list[str]:
    """Modules outside services/ that roll the session back themselves."""
    return [name for name, path in modules().items()
            if not name.startswith("scoreboard.services") and name not in MAY_ROLL_BACK
            and ROLLBACK.search(path.read_text(encoding="utf-8"))]


def test_the_rollback_check_sees_a_view_that_rolls_back():
    assert ROLLBACK.search("    except piagam.Error:\n        db.session.rollback()\n")


def test_views_never_roll_back_a_transaction():
    assert rollbacks_outside_services() == []


def test_use_cases_refuse_with_the_one_service_error():
    own = {found.group(1) for path in modules().values()
           for found in ERROR_CLASS.finditer(path.read_text(encoding="utf-8"))
           if found.group(1).endswith("Error") and found.group(2) != "ServiceError"}
    assert own - NOT_USE_CASE_ERRORS == {"ServiceError"}
