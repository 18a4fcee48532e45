"""Each module says which of its names are helpers a reader copies (`__all__`) and keeps
the example's scaffolding (tiny datasets, toy training, `main`) below one marked line,
so a reader sees which code carries promises."""

from __future__ import annotations

import ast

import pytest

from tests.harness import REPO, SNIPPET_MODULES

SCAFFOLDING = "# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---"


def top_level_names(tree: ast.Module) -> list[tuple[str, int]]:
    """The public functions and classes a module defines at its top, with their lines."""
    return [
        (node.name, node.lineno)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
    ]


def declared_helpers(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "__all__":
            return list(ast.literal_eval(value))
    return None


def misplaced(text: str) -> list[str]:
    """What breaks the layout: no __all__, a helper below the line, a name above it
    that __all__ leaves out, or __all__ naming what the module does not define."""
    tree = ast.parse(text)
    helpers = declared_helpers(tree)
    if helpers is None:
        return ["no __all__"]
    lines = text.splitlines()
    if lines.count(SCAFFOLDING) > 1:
        return ["the scaffolding line twice"]
    border = lines.index(SCAFFOLDING) + 1 if SCAFFOLDING in lines else len(lines) + 1
    defined = dict(top_level_names(tree))
    found = [
        f"{name} (line {line}): "
        + ("a helper below the line" if name in helpers else "not in __all__")
        for name, line in defined.items()
        if (line < border) != (name in helpers)
    ]
    assigned = {
        getattr(target, "id", None)
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
    }
    found += [
        f"__all__ names {name}, which is not defined"
        for name in helpers
        if name not in defined and name not in assigned
    ]
    return found


@pytest.mark.parametrize("module", SNIPPET_MODULES)
def test_helpers_are_declared_and_scaffolding_sits_below_its_line(module):
    text = (REPO / "snippets" / f"{module}.py").read_text()
    assert misplaced(text) == [], f"snippets/{module}.py:\n" + "\n".join(
        misplaced(text)
    )


def test_the_check_finds_each_kind_of_misplaced_name():
    good = f'__all__ = ["helper", "LIMIT"]\nLIMIT = 3\n\ndef helper(): ...\n\n{SCAFFOLDING}\n\ndef main(): ...\n'
    assert misplaced(good) == []
    assert misplaced(good.replace("def helper", "def other")) == [
        "other (line 4): not in __all__",
        "__all__ names helper, which is not defined",
    ]
    assert misplaced(good.replace('"LIMIT"]', '"LIMIT", "main"]')) == [
        "main (line 8): a helper below the line"
    ]
    assert misplaced("def helper(): ...\n") == ["no __all__"]
    assert misplaced("__all__: list[str] = []\n") == []
