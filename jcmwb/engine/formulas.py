"""The formula language of methodology specs: a restricted arithmetic, parsed with ``ast``.

Grammar (Python expression syntax, nothing else is accepted)::

    expr := number | NAME | expr (+ - * /) expr | -expr | (expr)
          | sum(expr, i)            sum of expr over every value of index i
          | min(expr, expr, ...)    | max(expr, expr, ...)
          | floor(expr) | ceil(expr) | round(expr, digits)
          | where(expr CMP expr, expr, expr)     CMP in < <= > >= == !=
          | slope(Y, X, h) | intercept(Y, X, h)  least-squares line Y = a X + b over the
                                    members of index h (Y, X: names indexed by h)
          | helper(expr, ...)       a documented helper from ``jcmwb.engine.helpers``

One walker carries the units of every sub-expression (pint) and drives three
backends: a unit check (no numbers), the numeric evaluation and the spreadsheet
formula. Numbers and spreadsheet therefore perform the same operations with the
same unit-conversion factors, in the same order: the workbook recomputes exactly
what the engine computed.
"""

from __future__ import annotations

import ast
import graphlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pint

from jcmwb.engine import helpers as helper_registry
from jcmwb.engine.errors import FormulaError
from jcmwb.engine.numbers import excel_rounding, round_half_away, round_whole
from jcmwb.engine.units import parse_unit, ureg

DIMENSIONLESS = ureg.dimensionless
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "=", ast.NotEq: "<>"}
_BUILTINS = {"sum", "min", "max", "floor", "ceil", "round", "where", "slope", "intercept"}
# Least-squares fits over the members of an index (a historical relationship fixed ex ante).
_FITS = ("slope", "intercept")
_CELL = re.compile(r"^(?P<sheet>'[^']+'!)?\$(?P<col>[A-Z]{1,3})\$(?P<row>\d+)$")


class FitError(ArithmeticError):
    """A least-squares fit that has no unique line (fewer than two members, or X all equal)."""


@dataclass(frozen=True)
class Symbol:
    """What a formula needs to know about a name it refers to."""

    name: str
    unit: str
    index: str | None = None
    latex: str = ""


def _is_zero(node: ast.AST) -> bool:
    """A literal 0: it fits any unit (``max(x, 0)``, ``x > 0``, ``where(c, 0, x)``)."""
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value == 0


def excel_number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


_RULE = {"floor": "down", "ceil": "up", "round": "nearest"}  # the formula's functions as rounding rules


class _Backend:
    """The operations a walk performs on values; units are handled by the walker."""

    def name(self, name: str, binding: Mapping[str, str]) -> Any: ...
    def const(self, value: float) -> Any: ...
    def scale(self, value: Any, factor: float) -> Any: ...
    def binop(self, op: str, a: Any, b: Any) -> Any: ...
    def neg(self, a: Any) -> Any: ...
    def total(self, parts: list[Any]) -> Any: ...
    def extreme(self, which: str, parts: list[Any]) -> Any: ...
    def rounding(self, how: str, a: Any, digits: int) -> Any: ...
    def compare(self, op: str, a: Any, b: Any) -> Any: ...
    def where(self, cond: Any, a: Any, b: Any) -> Any: ...
    def helper(self, spec: helper_registry.Helper, args: list[Any]) -> Any: ...
    def fit(self, which: str, ys: list[Any], xs: list[Any]) -> Any: ...


class _CheckBackend(_Backend):
    def __getattribute__(self, item: str) -> Any:
        return lambda *args, **kwargs: None


class _NumberBackend(_Backend):
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def name(self, name: str, binding: Mapping[str, str]) -> float:
        value = self.values[name]
        if isinstance(value, Mapping):
            return float(value[binding[self._index_of(name)]])
        return float(value)

    def _index_of(self, name: str) -> str:
        return self.indexes[name]

    def const(self, value: float) -> float:
        return float(value)

    def scale(self, value: float, factor: float) -> float:
        return value * factor

    def binop(self, op: str, a: float, b: float) -> float:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise ZeroDivisionError
        return a / b

    def neg(self, a: float) -> float:
        return -a

    def total(self, parts: list[float]) -> float:
        result = 0.0
        for part in parts:
            result += part
        return result

    def extreme(self, which: str, parts: list[float]) -> float:
        return min(parts) if which == "min" else max(parts)

    def rounding(self, how: str, a: float, digits: int) -> float:
        return round_half_away(a, digits) if how == "round" else round_whole(a, _RULE[how])

    def compare(self, op: str, a: float, b: float) -> bool:
        return {
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
            "=": a == b,
            "<>": a != b,
        }[op]

    def where(self, cond: bool, a: float, b: float) -> float:
        return a if cond else b

    def helper(self, spec: helper_registry.Helper, args: list[float]) -> float:
        return float(spec.function(*args))

    def fit(self, which: str, ys: list[float], xs: list[float]) -> float:
        return least_squares(ys, xs)[0 if which == "slope" else 1]


class _ExcelBackend(_Backend):
    def __init__(self, ref: Callable[[str, Mapping[str, str]], str]) -> None:
        self.ref = ref

    def name(self, name: str, binding: Mapping[str, str]) -> str:
        return self.ref(name, binding)

    def const(self, value: float) -> str:
        return excel_number(value)

    def scale(self, value: str, factor: float) -> str:
        return f"({value})*{excel_number(factor)}"

    def binop(self, op: str, a: str, b: str) -> str:
        return f"({a}{op}{b})"

    def neg(self, a: str) -> str:
        return f"(-{a})"

    def total(self, parts: list[str]) -> str:
        return f"SUM({','.join(parts)})" if parts else "0"

    def extreme(self, which: str, parts: list[str]) -> str:
        return f"{which.upper()}({','.join(parts)})"

    def rounding(self, how: str, a: str, digits: int) -> str:
        text = excel_rounding(a, _RULE[how], digits=digits)
        return f"({text})" if how == "ceil" else text  # a leading minus inside a larger formula

    def compare(self, op: str, a: str, b: str) -> str:
        return f"{a}{op}{b}"

    def where(self, cond: str, a: str, b: str) -> str:
        return f"IF({cond},{a},{b})"

    def helper(self, spec: helper_registry.Helper, args: list[str]) -> str:
        return f"({spec.excel(*args)})"

    def fit(self, which: str, ys: list[str], xs: list[str]) -> str:
        # SLOPE and INTERCEPT take ranges: the members of an indexed name sit in consecutive
        # rows of one column (Table 1, Table 2 and the calculation sheet write them so).
        y_range, x_range = _cell_range(ys), _cell_range(xs)
        if y_range and x_range:
            return f"{which.upper()}({y_range},{x_range})"
        # Not a range: the same least-squares line written out with SUMs (the centred form).
        n = excel_number(len(xs))
        mean_x, mean_y = f"(SUM({','.join(xs)})/{n})", f"(SUM({','.join(ys)})/{n})"
        sxy = "SUM(" + ",".join(f"({x}-{mean_x})*({y}-{mean_y})" for x, y in zip(xs, ys)) + ")"
        sxx = "SUM(" + ",".join(f"({x}-{mean_x})^2" for x in xs) + ")"
        slope = f"({sxy}/{sxx})"
        return slope if which == "slope" else f"({mean_y}-{slope}*{mean_x})"


def _cell_range(refs: list[str]) -> str | None:
    """``['S'!$D$5, 'S'!$D$6, 'S'!$D$7]`` -> ``'S'!$D$5:$D$7``; None unless one column, consecutive rows."""
    cells = [_CELL.match(r) for r in refs]
    if not cells or not all(cells):
        return None
    sheets = {c["sheet"] for c in cells}
    columns = {c["col"] for c in cells}
    rows = [int(c["row"]) for c in cells]
    if len(sheets) != 1 or len(columns) != 1 or rows != list(range(rows[0], rows[0] + len(rows))):
        return None
    return f"{refs[0]}:${cells[-1]['col']}${rows[-1]}"


def least_squares(ys: Sequence[float], xs: Sequence[float]) -> tuple[float, float]:
    """Slope and intercept of the least-squares line ``y = slope x + intercept``.

    Centred two-pass form with exactly rounded sums (``math.fsum``): the means of x and y
    first, then the sums of the products of deviations. It is the textbook estimator and
    what spreadsheets' SLOPE and INTERCEPT compute, without the cancellation of the
    one-pass form ``n Sxy - Sx Sy``. Raises FitError when there is no unique line.
    """
    n = len(xs)
    if n < 2:
        raise FitError(f"{n} member(s)")
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise FitError(f"X equal to {xs[0]:g} at all {n} members")
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sxx
    return slope, mean_y - slope * mean_x


class Formula:
    """A parsed formula. ``where`` and ``file`` locate it in error messages."""

    def __init__(self, text: str, *, where: str = "", file: str | None = None) -> None:
        self.text = str(text).strip()
        self.where = where
        self.file = file
        try:
            tree = ast.parse(self.text, mode="eval")
        except SyntaxError as exc:
            raise self._error("cannot parse the formula", expected="an arithmetic expression", found=repr(self.text)) from exc
        self.tree = tree.body
        self.names: set[str] = set()
        self._collect(self.tree, bound=set())

    # -- structure -------------------------------------------------------------------
    def _error(self, message: str, **kw: Any) -> FormulaError:
        return FormulaError(message, file=self.file, where=self.where, **kw)

    def _collect(self, node: ast.AST, bound: set[str]) -> None:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self._error("only numbers may appear as constants", found=repr(node.value))
        elif isinstance(node, ast.Name):
            self.names.add(node.id)
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
                raise self._error("operator not allowed", expected="+ - * /", found=type(node.op).__name__)
            self._collect(node.left, bound)
            self._collect(node.right, bound)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self._error("operator not allowed", expected="unary - or +", found=type(node.op).__name__)
            self._collect(node.operand, bound)
        elif isinstance(node, ast.Compare):
            if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
                raise self._error("only one comparison (< <= > >= == !=) is allowed here")
            self._collect(node.left, bound)
            self._collect(node.comparators[0], bound)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords:
                raise self._error("only plain function calls are allowed", found=ast.unparse(node))
            func = node.func.id
            if func not in _BUILTINS and func not in helper_registry.HELPERS:
                known = ", ".join(sorted(_BUILTINS | set(helper_registry.HELPERS)))
                raise self._error("unknown function", expected=f"one of {known}", found=repr(func))
            if func == "sum":
                if len(node.args) != 2 or not isinstance(node.args[1], ast.Name):
                    raise self._error("sum takes an expression and an index name", expected="sum(expr, i)", found=ast.unparse(node))
                self._collect(node.args[0], bound | {node.args[1].id})
                return
            if func in _FITS:
                if len(node.args) != 3 or not all(isinstance(a, ast.Name) for a in node.args):
                    raise self._error(f"{func} takes two names indexed by an index, and the index", expected=f"{func}(Y_h, X_h, h)", found=ast.unparse(node))
                self.names.update((node.args[0].id, node.args[1].id))
                return
            for arg in node.args:
                if func in ("round",) and arg is node.args[-1]:
                    continue
                self._collect(arg, bound)
        else:
            raise self._error("construct not allowed in a formula", found=ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__)

    # -- the walker ------------------------------------------------------------------
    def _walk(
        self,
        node: ast.AST,
        backend: _Backend,
        symbols: Mapping[str, Symbol],
        indices: Mapping[str, Sequence[str]],
        binding: dict[str, str],
    ) -> tuple[Any, pint.Unit]:
        if isinstance(node, ast.Constant):
            return backend.const(float(node.value)), DIMENSIONLESS
        if isinstance(node, ast.Name):
            symbol = symbols.get(node.id)
            if symbol is None:
                raise self._error("undeclared symbol", expected="a parameter or equation of this spec", found=repr(node.id))
            if symbol.index and symbol.index not in binding:
                raise self._error(
                    f"{node.id} is indexed by {symbol.index}; use it inside sum(..., {symbol.index})",
                    found=repr(self.text),
                )
            return backend.name(node.id, binding), parse_unit(symbol.unit, where=self.where, file=self.file)
        if isinstance(node, ast.UnaryOp):
            value, unit = self._walk(node.operand, backend, symbols, indices, binding)
            return (backend.neg(value) if isinstance(node.op, ast.USub) else value), unit
        if isinstance(node, ast.BinOp):
            left, lunit = self._walk(node.left, backend, symbols, indices, binding)
            right, runit = self._walk(node.right, backend, symbols, indices, binding)
            if isinstance(node.op, (ast.Add, ast.Sub)):
                lunit = runit if _is_zero(node.left) else lunit
                right = self._convert(backend, right, runit, lunit, node, arg=node.right)
                return backend.binop("+" if isinstance(node.op, ast.Add) else "-", left, right), lunit
            if isinstance(node.op, ast.Mult):
                return backend.binop("*", left, right), lunit * runit
            return backend.binop("/", left, right), lunit / runit
        if isinstance(node, ast.Compare):
            left, lunit = self._walk(node.left, backend, symbols, indices, binding)
            right, runit = self._walk(node.comparators[0], backend, symbols, indices, binding)
            lunit = runit if _is_zero(node.left) else lunit
            right = self._convert(backend, right, runit, lunit, node, arg=node.comparators[0])
            return backend.compare(_COMPARE[type(node.ops[0])], left, right), DIMENSIONLESS
        if isinstance(node, ast.Call):
            return self._call(node, backend, symbols, indices, binding)
        raise self._error("construct not allowed in a formula")  # pragma: no cover - _collect rejects it

    def _call(self, node, backend, symbols, indices, binding):
        func = node.func.id
        args = node.args
        if func == "sum":
            index = args[1].id
            if index not in indices:
                raise self._error("unknown index in sum", expected=f"one of {sorted(indices)}", found=repr(index))
            parts, unit = [], None
            for member in indices[index]:
                value, vunit = self._walk(args[0], backend, symbols, indices, {**binding, index: member})
                if unit is None:
                    unit = vunit
                parts.append(value)
            if unit is None:  # an index with no members: the sum is zero, in the body's unit
                _, unit = self._walk(args[0], _CheckBackend(), symbols, {**indices, index: ["*"]}, {**binding, index: "*"})
            return backend.total(parts), unit
        if func in _FITS:
            return self._fit(node, backend, symbols, indices, binding)
        if func in ("min", "max"):
            if len(args) < 2:
                raise self._error(f"{func} takes two or more arguments", found=ast.unparse(node))
            walked = [self._walk(arg, backend, symbols, indices, binding) for arg in args]
            # The unit is the first argument's; a literal 0 takes the unit of the others.
            unit = next((u for arg, (_, u) in zip(args, walked) if not _is_zero(arg)), walked[0][1])
            parts = [self._convert(backend, value, vunit, unit, node, arg=arg) for arg, (value, vunit) in zip(args, walked)]
            return backend.extreme(func, parts), unit
        if func in ("floor", "ceil"):
            if len(args) != 1:
                raise self._error(f"{func} takes one argument", found=ast.unparse(node))
            value, unit = self._walk(args[0], backend, symbols, indices, binding)
            return backend.rounding(func, value, 0), unit
        if func == "round":
            if len(args) != 2 or not isinstance(args[1], ast.Constant) or not isinstance(args[1].value, int):
                raise self._error("round takes an expression and a whole number of digits", expected="round(x, 0)", found=ast.unparse(node))
            value, unit = self._walk(args[0], backend, symbols, indices, binding)
            return backend.rounding("round", value, int(args[1].value)), unit
        if func == "where":
            if len(args) != 3 or not isinstance(args[0], ast.Compare):
                raise self._error("where takes a comparison and two values", expected="where(a > b, x, y)", found=ast.unparse(node))
            cond, _ = self._walk(args[0], backend, symbols, indices, binding)
            a, aunit = self._walk(args[1], backend, symbols, indices, binding)
            b, bunit = self._walk(args[2], backend, symbols, indices, binding)
            aunit = bunit if _is_zero(args[1]) else aunit
            return backend.where(cond, a, self._convert(backend, b, bunit, aunit, node, arg=args[2])), aunit
        spec = helper_registry.HELPERS[func]
        if len(args) != len(spec.args):
            raise self._error(f"{func} takes {len(spec.args)} arguments ({', '.join(spec.args)})", found=ast.unparse(node))
        converted = []
        for arg, (arg_name, arg_unit) in zip(args, spec.args.items()):
            value, vunit = self._walk(arg, backend, symbols, indices, binding)
            converted.append(self._convert(backend, value, vunit, parse_unit(arg_unit), node, what=f"argument {arg_name} of {func}"))
        return backend.helper(spec, converted), parse_unit(spec.returns)

    def _fit(self, node, backend, symbols, indices, binding):
        """slope(Y, X, h) and intercept(Y, X, h): the least-squares line through the members of h."""
        func = node.func.id
        y_name, x_name, index = (a.id for a in node.args)
        if index not in indices:
            raise self._error(f"unknown index in {func}", expected=f"one of {sorted(indices)}", found=repr(index))
        for name in (y_name, x_name):
            symbol = symbols.get(name)
            if symbol is None:
                raise self._error("undeclared symbol", expected="a parameter or equation of this spec", found=repr(name))
            if symbol.index != index:
                raise self._error(f"{func} fits names indexed by {index}", expected=f"{name} indexed by {index}", found=f"indexed by {symbol.index}" if symbol.index else "no index")
        if index in binding:
            raise self._error(f"{func} over {index} inside a formula already bound to {index}", found=ast.unparse(node))
        ys, xs = [], []
        for member in indices[index]:
            inner = {**binding, index: member}
            ys.append(self._walk(node.args[0], backend, symbols, indices, inner)[0])
            xs.append(self._walk(node.args[1], backend, symbols, indices, inner)[0])
        yunit = parse_unit(symbols[y_name].unit, where=self.where, file=self.file)
        xunit = parse_unit(symbols[x_name].unit, where=self.where, file=self.file)
        return backend.fit(func, ys, xs), (yunit / xunit if func == "slope" else yunit)

    def _convert(self, backend, value, unit, target, node, what: str | None = None, arg: ast.AST | None = None):
        if unit == target or (arg is not None and _is_zero(arg)):  # zero is zero in every unit
            return value
        if unit.dimensionality != target.dimensionality:
            raise self._error(
                f"unit mismatch in {what or ast.unparse(node)}",
                expected=f"a quantity in {target:~}" if target != DIMENSIONLESS else "a dimensionless number",
                found=f"{unit:~}" if unit != DIMENSIONLESS else "a dimensionless number",
            )
        factor = float(ureg.Quantity(1.0, unit).to(target).magnitude)
        return value if factor == 1.0 else backend.scale(value, factor)

    def _finish(self, backend, value, unit, result_unit: str):
        target = parse_unit(result_unit, where=self.where, file=self.file)
        if isinstance(self.tree, ast.Constant):  # a bare constant is taken in the declared unit
            return value
        if unit.dimensionality != target.dimensionality:
            raise self._error(
                "the formula's unit does not match the declared unit",
                expected=str(result_unit),
                found=f"{unit:~}" if unit != DIMENSIONLESS else "a dimensionless number",
            )
        factor = float(ureg.Quantity(1.0, unit).to(target).magnitude)
        return value if factor == 1.0 else backend.scale(value, factor)

    # -- public ----------------------------------------------------------------------
    def check(self, symbols: Mapping[str, Symbol], result_unit: str, result_index: str | None = None) -> None:
        """Raise FormulaError unless every name is declared and the units agree."""
        indices = {s.index: ["*"] for s in symbols.values() if s.index}
        if result_index:
            indices.setdefault(result_index, ["*"])
        binding = {result_index: "*"} if result_index else {}
        value, unit = self._walk(self.tree, _CheckBackend(), symbols, indices, binding)
        self._finish(_CheckBackend(), value, unit, result_unit)

    def evaluate(
        self,
        values: Mapping[str, Any],
        symbols: Mapping[str, Symbol],
        indices: Mapping[str, Sequence[str]],
        result_unit: str,
        binding: Mapping[str, str] | None = None,
    ) -> float:
        """Evaluate to a number in ``result_unit``. Indexed values are mappings member -> number.

        A least-squares fit without a unique line raises FitError: the data are at fault (the
        caller names the monitoring-period file), not the formula.
        """
        backend = _NumberBackend(values)
        backend.indexes = {name: s.index for name, s in symbols.items() if s.index}
        try:
            value, unit = self._walk(self.tree, backend, symbols, indices, dict(binding or {}))
        except ZeroDivisionError as exc:
            raise self._error("division by zero", found=repr(self.text)) from exc
        return float(self._finish(backend, value, unit, result_unit))

    def to_excel(
        self,
        ref: Callable[[str, Mapping[str, str]], str],
        symbols: Mapping[str, Symbol],
        indices: Mapping[str, Sequence[str]],
        result_unit: str,
        binding: Mapping[str, str] | None = None,
    ) -> str:
        """The same formula as spreadsheet text (without the leading '=')."""
        backend = _ExcelBackend(ref)
        value, unit = self._walk(self.tree, backend, symbols, indices, dict(binding or {}))
        return str(self._finish(backend, value, unit, result_unit))

    def to_latex(self, symbols: Mapping[str, Symbol]) -> str:
        return _latex(self.tree, symbols)


_PRECEDENCE = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 3}


def _latex(node: ast.AST, symbols: Mapping[str, Symbol], parent: int = 0) -> str:
    if isinstance(node, ast.Constant):
        return excel_number(float(node.value))
    if isinstance(node, ast.Name):
        symbol = symbols.get(node.id)
        return symbol.latex if symbol and symbol.latex else node.id.replace("_", r"\_")
    if isinstance(node, ast.UnaryOp):
        inner = _latex(node.operand, symbols, 4)
        return f"-{inner}" if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        prec = _PRECEDENCE[type(node.op)]
        if isinstance(node.op, ast.Div):
            return rf"\frac{{{_latex(node.left, symbols)}}}{{{_latex(node.right, symbols)}}}"
        left = _latex(node.left, symbols, prec)
        right = _latex(node.right, symbols, prec + (1 if isinstance(node.op, ast.Sub) else 0))
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: r"\times"}[type(node.op)]
        text = f"{left} {op} {right}"
        return rf"\left({text}\right)" if prec < parent else text
    if isinstance(node, ast.Compare):
        op = {"<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq", "=": "=", "<>": r"\neq"}[_COMPARE[type(node.ops[0])]]
        return f"{_latex(node.left, symbols)} {op} {_latex(node.comparators[0], symbols)}"
    if isinstance(node, ast.Call):
        func = node.func.id
        args = node.args
        if func == "sum":
            text = rf"\sum_{{{args[1].id}}} {_latex(args[0], symbols, 2)}"
            # A sum inside a product reads as if the product were summed: bracket it.
            return rf"\left({text}\right)" if parent >= 2 else text
        if func in ("min", "max"):
            return rf"\{func}\left({', '.join(_latex(a, symbols) for a in args)}\right)"
        if func == "floor":
            return rf"\left\lfloor {_latex(args[0], symbols)} \right\rfloor"
        if func == "ceil":
            return rf"\left\lceil {_latex(args[0], symbols)} \right\rceil"
        if func == "round":
            return rf"\mathrm{{round}}\left({_latex(args[0], symbols)}, {args[1].value}\right)"
        if func in _FITS:
            return rf"\mathrm{{{func}}}_{{{args[2].id}}}\left({_latex(args[0], symbols)}, {_latex(args[1], symbols)}\right)"
        if func == "where":
            return (
                rf"\begin{{cases}} {_latex(args[1], symbols)} & \text{{if }} {_latex(args[0], symbols)} \\ "
                rf"{_latex(args[2], symbols)} & \text{{otherwise}} \end{{cases}}"
            )
        name = func.replace("_", r"\_")  # a helper's name is text, not a subscript
        return rf"\mathrm{{{name}}}\left({', '.join(_latex(a, symbols) for a in args)}\right)"
    return "?"  # pragma: no cover


def name_latex(name: str) -> str:
    """A code name as a LaTeX symbol, its parts after the first as the subscript:
    ``EG_p`` -> ``EG_{p}``, ``EC_PJ_p`` -> ``EC_{PJ,p}``."""
    head, *subscript = name.split("_")
    return f"{head}_{{{','.join(subscript)}}}" if subscript else head


def equation_latex(name: str, symbol: str, rhs: str) -> str:
    """An equation as LaTeX, ``left = rhs``, with ``rhs`` the formula's LaTeX.

    The left side is the equation's symbol, unless that symbol is itself a sum: the MRS prints
    a total such as EG_p as "Σ EG_{i,p}" (``\\sum_i EG_{i,p}``), which is the formula again, and
    "Σᵢ EG_i,p = Σᵢ EG_i,p" says nothing. Such an equation is written with its own name as the
    symbol: ``EG_{p} = \\sum_{i} EG_{i,p}``.
    """
    left = name_latex(name) if r"\sum" in symbol else symbol
    return f"{left} = {rhs}"


def dependency_order(dependencies: Mapping[str, set[str]], *, file: str | None = None) -> list[str]:
    """Topological order of equations (each after the equations it uses); a cycle raises a SpecError naming it.

    ``graphlib`` does the ordering; equations are offered in the spec's order, so the result
    is the same for the same spec.
    """
    sorter = graphlib.TopologicalSorter({name: sorted(d for d in deps if d in dependencies) for name, deps in dependencies.items()})
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = list(reversed(exc.args[1]))
        raise FormulaError("dependency cycle between equations", file=file, where="equations", found=" -> ".join(cycle)) from exc
