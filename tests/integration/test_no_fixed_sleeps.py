"""The suite never sleeps a fixed time to wait for the server: a test waits for the test clock's
idle call (srv.wait_idle(), srv.advance(...)) or polls a condition with waiting.wait_until. This
reads every Python file of the suite and fails on a call to any sleep (time.sleep, a bare sleep,
asyncio.sleep) outside the places allowed below. `grep -rn "sleep(" tests/integration` shows the
same places by eye."""

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (file, function) -> why a sleep is right there.
ALLOWED_SLEEPS = {
    ("waiting.py", "wait_until"): "the pause between two checks of a condition, until a deadline",
    ("webhook_support.py", "do_POST"): "the fake webhook receiver answering slowly on purpose "
                                       "(Receiver(delay=...)): a slow peer, not a wait",
}


def calls(tree):
    """(function name, call node) for every call, with the innermost enclosing function."""
    out = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else function
            if isinstance(child, ast.Call):
                out.append((inner, child))
            visit(child, inner)

    visit(tree, "<module>")
    return out


def called_name(call):
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return ""


def fixed_waits():
    found = []
    for path in sorted(HERE.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for function, call in calls(tree):
            if called_name(call) == "sleep" and (path.name, function) not in ALLOWED_SLEEPS:
                found.append(f"{path.name}:{call.lineno} in {function}(): a sleep")
    return found


def test_no_fixed_sleeps_wait_for_the_server():
    found = fixed_waits()
    assert not found, ("wait for srv.wait_idle() (test clock) or poll a condition with "
                       "waiting.wait_until instead of sleeping:\n" + "\n".join(found))


def test_the_allowed_places_still_exist():
    """An allow-list entry whose sleep has gone is stale: drop it."""
    present = set()
    for path in sorted(HERE.glob("*.py")):
        for function, call in calls(ast.parse(path.read_text("utf-8"))):
            if called_name(call) == "sleep":
                present.add((path.name, function))
    assert set(ALLOWED_SLEEPS) <= present
