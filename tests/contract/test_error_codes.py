"""One list of error codes: every code the package raises is registered, documented and mirrored.

The registry is ``jupyter_nbjob_iam/error_codes.py``; ``docs/API.md`` has one table row per code;
``src/errorCodes.ts`` has one union member per code. The package is scanned with ``ast`` (not run), so a
code added anywhere, by anyone, is caught here: ``error_code="..."`` keywords, ``error_code = "..."``
class attributes, ``{"error_code": "..."}`` literals, f-strings (each must match a registered code) and
a function parameter named ``error_code`` (resolved through the calls that pass it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from jupyter_nbjob_iam import errors
from jupyter_nbjob_iam.error_codes import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "jupyter_nbjob_iam"


def _functions(tree: ast.AST) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _enclosing(tree: ast.AST, node: ast.AST) -> ast.FunctionDef | None:
    for fn in _functions(tree).values():
        if any(child is node for child in ast.walk(fn)):
            return fn
    return None


def _passed(tree: ast.AST, fn: ast.FunctionDef, param: str) -> list[ast.expr]:
    """The expressions the module's calls of ``fn`` pass as ``param``."""
    names = [a.arg for a in fn.args.args]
    index = names.index(param) - (1 if names and names[0] in ("self", "cls") else 0)
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        callee = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if callee != fn.name:
            continue
        found += [k.value for k in call.keywords if k.arg == param]
        if len(call.args) > index:
            found.append(call.args[index])
    return found


def _codes(tree: ast.AST, expr: ast.expr, where: str) -> list[tuple[str, str]]:
    """(code or regex, where) for one error_code expression; an unresolvable one is reported as is."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str | type(None)):
        return [] if expr.value is None else [(expr.value, where)]
    if isinstance(expr, ast.Attribute) and expr.attr == "error_code":
        return []  # passing on an error's own code (``exc.error_code``), registered where it was made
    if isinstance(expr, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z0-9_]+" for v in expr.values]
        return [("re:^" + "".join(parts) + "$", where)]
    if isinstance(expr, ast.Name):
        fn = _enclosing(tree, expr)
        if fn is not None and expr.id in [a.arg for a in fn.args.args]:
            out: list[tuple[str, str]] = []
            for passed in _passed(tree, fn, expr.id):
                out += _codes(tree, passed, f"{where} via {fn.name}()")
            return out
    return [(f"unresolved:{ast.unparse(expr)}", where)]


def used_codes() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "labextension" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT)
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.keyword) and node.arg == "error_code":
                found += _codes(tree, node.value, where)
            elif isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
                    value = getattr(stmt, "value", None)
                    if value is not None and any(getattr(t, "id", None) == "error_code" for t in targets):
                        found += _codes(tree, value, f"{rel}:{stmt.lineno}")
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "error_code":
                        found += _codes(tree, value, where)
    return found


def test_the_scan_finds_the_codes_it_should():
    # Given the package as it is, the scan sees literals, class defaults, f-strings and parameters
    codes = {code for code, _ in used_codes()}
    assert {"invalid_input", "access_denied", "role_not_found", "internal_error"} <= codes
    assert {"plan_not_found", "backup_not_found"} <= codes  # passed through FixStore._load(error_code)
    assert any(code.startswith("re:") for code in codes)  # f"{principal_type}_not_found"


def test_every_error_code_the_package_uses_is_registered():
    unknown = []
    for code, where in used_codes():
        if code.startswith("re:"):
            if not any(re.match(code[3:], known) for known in ERROR_CODES):
                unknown.append(f"{where}: no registered code matches {code[3:]}")
        elif code not in ERROR_CODES:
            unknown.append(f"{where}: {code}")
    assert not unknown, "add these to jupyter_nbjob_iam/error_codes.py (and docs/API.md, src/errorCodes.ts):\n" + (
        "\n".join(unknown)
    )


def test_every_error_class_default_is_registered_with_its_status():
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.NbJobIamError)]
    assert len(classes) >= 8
    for cls in classes:
        assert cls.status in ERROR_CODES[cls.error_code].statuses, cls.__name__


def test_an_error_class_with_an_unregistered_code_is_refused_when_defined():
    with pytest.raises(TypeError, match="not_a_registered_code"):

        class _Stray(errors.NbJobIamError):
            error_code = "not_a_registered_code"


def _api_md_codes() -> set[str]:
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    section = text.split("### Error codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M))


def _typescript_codes() -> set[str]:
    text = (ROOT / "src" / "errorCodes.ts").read_text(encoding="utf-8")
    listed = text.split("export const SERVER_ERROR_CODES = [", 1)[1].split("] as const", 1)[0]
    return set(re.findall(r"'([a-z0-9_]+)'", listed))


def test_docs_api_lists_exactly_the_registered_codes():
    assert _api_md_codes() == set(ERROR_CODES)


def test_the_panel_mirrors_exactly_the_registered_codes():
    assert _typescript_codes() == set(ERROR_CODES)
