"""Count the meetup modules a keystroke runs code in, and name the largest module and function.

A keystroke is one htmx fragment request for a search (a misspelt one, so the correction runs too),
answered with the fragment cache off, after a first search has warmed the process. Run from the
checkout's root: `.venv/bin/python scripts/keystroke_modules.py [--query TEXT] [--list]`.
"""
from __future__ import annotations

import argparse
import ast
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEETUP = ROOT / "meetup"
sys.path.insert(0, str(ROOT))


def modules_run_by(call) -> tuple[set[str], list[str]]:
    """Return the meetup modules (dotted names) whose code runs while call() runs, and the meetup
    functions on the stack when ranking (search/rank.py) is first entered, outermost first."""
    seen: set[str] = set()
    corridor: list[str] = []
    prefix = str(MEETUP) + "/"
    ranking = str(MEETUP / "search" / "rank.py")

    def profile(frame, event, _arg):
        if event == "call":
            filename = frame.f_code.co_filename
            if filename.startswith(prefix) and filename.endswith(".py"):
                seen.add(filename)
                if filename == ranking and not corridor:
                    corridor.extend(reversed(list(meetup_frames(frame.f_back, prefix))))

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return {module_name(Path(filename)) for filename in seen}, corridor


def meetup_frames(frame, prefix: str):
    """Yield module.function for each meetup frame from frame outwards."""
    while frame is not None:
        if frame.f_code.co_filename.startswith(prefix):
            yield f"{module_name(Path(frame.f_code.co_filename))}.{frame.f_code.co_name}"
        frame = frame.f_back


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def largest_module_and_function() -> tuple[tuple[int, str], tuple[int, str]]:
    """Return (lines, module) of the longest module and (lines, qualified name) of the longest function."""
    modules, functions = [], []
    for path in MEETUP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        modules.append((len(text.splitlines()), module_name(path)))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append((node.end_lineno - node.lineno + 1, f"{module_name(path)}.{node.name}"))
    return max(modules), max(functions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="kubernets", help="the search typed (default: a misspelt word)")
    parser.add_argument("--list", action="store_true", help="name every module crossed")
    args = parser.parse_args()

    from meetup import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/site.sqlite3",
                          "INDEX_DIR": f"{folder}/index", "SECRET_KEY": "measure", "SEED_ON_EMPTY": True,
                          "FRAGMENT_CACHE_BYTES": 0, "TRANSLATIONS_CACHE": f"{folder}/translations"})
        result = app.test_cli_runner().invoke(args=["index", "follow", "--once"])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        headers = {"HX-Request": "true", "HX-Trigger-Name": "q", "HX-Target": "results"}
        client.get("/", query_string={"q": "observability"}, headers=headers)  # warm the process

        def keystroke() -> None:
            response = client.get("/", query_string={"q": args.query}, headers=headers)
            assert response.status_code == 200, response.status_code

        crossed, corridor = modules_run_by(keystroke)
    (module_lines, module), (function_lines, function) = largest_module_and_function()
    print(f"modules a keystroke crosses ({args.query!r}): {len(crossed)}")
    if args.list:
        for name in sorted(crossed):
            print(f"  {name}")
    print(f"from the route to ranking: {len(corridor)} calls in {len({name.rsplit('.', 1)[0] for name in corridor})} modules")
    if args.list:
        for name in corridor:
            print(f"  {name}")
    print(f"largest module: {module} ({module_lines} lines)")
    print(f"largest function: {function} ({function_lines} lines)")


if __name__ == "__main__":
    main()
