"""The field keys the code can put in a ValidationError, found by reading the source (an AST scan)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "renewaltracker"
# The layers whose errors reach the window; the ui is scanned too, as the editor raises its own.
LAYERS = ("domain", "storage", "services", "ui")


def _is_validation_error(call: ast.Call) -> bool:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name == "ValidationError"


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _trees() -> Iterator[ast.Module]:
    for layer in LAYERS:
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            yield ast.parse(path.read_text(encoding="utf-8"), str(path))


def _loop_values(function: ast.AST, name: str) -> list[str]:
    """The strings a loop variable takes when it runs over a literal tuple: `for x, label in ((a, "b"), …)`."""
    values: list[str] = []
    for node in ast.walk(function):
        if not isinstance(node, ast.For) or not isinstance(node.iter, ast.Tuple | ast.List):
            continue
        targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
        for position, target in enumerate(targets):
            if not (isinstance(target, ast.Name) and target.id == name):
                continue
            for item in node.iter.elts:
                element = item.elts[position] if isinstance(item, ast.Tuple) else item
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    values.append(element.value)
    return values


def _values(expression: ast.expr, function: ast.AST) -> list[str]:
    """The field keys an argument can hold: a literal, a loop variable over literals, or either `.replace`d."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.Name):
        return _loop_values(function, expression.id)
    if (
        isinstance(expression, ast.Call)
        and isinstance(expression.func, ast.Attribute)
        and expression.func.attr == "replace"
        and all(isinstance(argument, ast.Constant) for argument in expression.args)
    ):
        old, new = (argument.value for argument in expression.args[:2])  # type: ignore[attr-defined]
        return [value.replace(old, new) for value in _values(expression.func.value, function)]
    return []


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def field_keys() -> dict[str, str]:
    """Every field key found, each with one place it comes from: the first argument of ValidationError(…), and
    what callers pass to a function that hands one of its parameters on as that first argument."""
    trees = list(_trees())
    keys: dict[str, str] = {}
    passers: dict[str, tuple[int, str]] = {}  # function name -> (argument position in a call, parameter name)
    for tree in trees:
        for function in _functions(tree):
            parameters = [argument.arg for argument in function.args.args]
            defaults = dict(zip(parameters[::-1], function.args.defaults[::-1], strict=False))
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and _is_validation_error(call) and call.args):
                    continue
                first = call.args[0]
                for value in _values(first, function):
                    keys.setdefault(value, function.name)
                if isinstance(first, ast.Name) and first.id in parameters:
                    # A method's `self` is not among a call's arguments.
                    method = parameters[:1] in (["self"], ["cls"])
                    passers[function.name] = (parameters.index(first.id) - method, first.id)
                    default = defaults.get(first.id)
                    if isinstance(default, ast.Constant) and isinstance(default.value, str):
                        keys.setdefault(default.value, f"default of {function.name}")
    for tree in trees:
        for function in _functions(tree):
            for call in ast.walk(function):
                if not isinstance(call, ast.Call) or _called_name(call) not in passers:
                    continue
                position, parameter = passers[_called_name(call)]
                arguments = call.args[position : position + 1]
                arguments += [keyword.value for keyword in call.keywords if keyword.arg == parameter]
                for argument in arguments:
                    for value in _values(argument, function):
                        keys.setdefault(value, f"passed to {_called_name(call)} in {function.name}")
    return keys
