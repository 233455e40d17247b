"""Strict YAML reading for every hand-written input: specs, facts, monitoring-period files.

Duplicate keys are refused instead of silently keeping the last one; dates must exist; and
a file is refused, naming its line, before it can exhaust memory or the stack (deep nesting,
alias bombs, huge integers). Errors name the file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from jcmwb.engine.errors import JcmwbError, SpecError
from jcmwb.engine.files import decode_utf8, read_input

# What a hand-written YAML file may be: a spec or a monitoring-period file is some kB and a few
# levels deep. Beyond these limits a file is refused before it can exhaust memory or the stack
# (50,000 nested brackets, or a "billion laughs" of aliases that expands to 10^9 values).
MAX_YAML_BYTES = 4 * 2**20
MAX_YAML_DEPTH = 64  # levels of nesting, counted after expanding aliases
MAX_YAML_NODES = 200_000  # values (scalars, lists, mappings), counted after expanding aliases


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of keeping the last one, and nesting or
    alias expansion beyond MAX_YAML_DEPTH and MAX_YAML_NODES."""

    jcmwb_depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # The composer recurses once per level: stop at the limit, long before Python's stack does.
        if self.jcmwb_depth >= MAX_YAML_DEPTH:
            mark = self.peek_event().start_mark
            raise SpecError(
                "nested too deeply",
                file=getattr(self, "jcmwb_file", None),
                where=f"line {mark.line + 1}",
                expected=f"at most {MAX_YAML_DEPTH} levels of nesting",
                found=f"more than {MAX_YAML_DEPTH}",
            )
        self.jcmwb_depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.jcmwb_depth -= 1

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node, getattr(self, "jcmwb_file", None))
        return self.construct_document(node)


def _check_expansion(root: yaml.Node, file: str | None) -> None:
    """Refuse a document whose aliases expand beyond the limits, or refer to the value that holds them.

    An alias (``*name``) is composed as a second reference to its anchored node, so the node
    graph stays small while what it stands for (and what every reader of the data walks) grows
    exponentially. Sizes and depths are measured on the graph, each node once, without recursion.
    """
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) once expanded
    open_: set[int] = set()  # nodes on the current path: meeting one again is a cycle

    def children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [part for pair in node.value for part in pair]
        return []

    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            parts = [measured[id(c)] for c in children(node)]
            size = 1 + sum(p[0] for p in parts)
            depth = 1 + max((p[1] for p in parts), default=0)
            measured[key] = (size, depth)
            open_.discard(key)
            where = f"line {node.start_mark.line + 1}"
            if size > MAX_YAML_NODES:
                raise SpecError(
                    "too many values once aliases (*name) are expanded",
                    file=file,
                    where=where,
                    expected=f"at most {MAX_YAML_NODES:,} values",
                    found=f"{size:,}",
                )
            if depth > MAX_YAML_DEPTH:
                raise SpecError(
                    "nested too deeply once aliases (*name) are expanded",
                    file=file,
                    where=where,
                    expected=f"at most {MAX_YAML_DEPTH} levels of nesting",
                    found=f"{depth} levels",
                )
            continue
        if key in measured:
            continue
        if key in open_:
            raise SpecError(
                "an alias (*name) refers to the value that contains it",
                file=file,
                where=f"line {node.start_mark.line + 1}",
                expected="aliases to values defined before and outside them",
                found="a recursive alias",
            )
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children(node) if id(c) not in measured)


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            problem = SpecError(
                "duplicate key",
                file=getattr(loader, "jcmwb_file", None),
                where=f"line {key_node.start_mark.line + 1}",
                expected="each key once",
                found=f"{key!r} again (first on line {seen[key]})",
            )
            if getattr(loader, "jcmwb_problems", None) is None:
                raise problem
            loader.jcmwb_problems.append(problem)  # collecting: report it and keep reading (the last value wins)
            continue
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date-like scalar that is no real date (2016-13-40) is a SpecError naming its line, not a ValueError."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        problem = SpecError(
            "bad date", file=getattr(loader, "jcmwb_file", None), where=f"line {node.start_mark.line + 1}", expected="a real date YYYY-MM-DD", found=repr(node.value)
        )
        if getattr(loader, "jcmwb_problems", None) is None:
            raise problem from exc
        loader.jcmwb_problems.append(problem)  # collecting: reported here, not again by the reader
        return ReportedBadDate(node.value)


class ReportedBadDate(str):
    """A date-like scalar already reported as a bad date while collecting problems."""


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """An integer of thousands of digits is refused naming its line, not a bare ValueError from Python's digit limit."""
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError as exc:
        raise SpecError(
            "number too long", file=getattr(loader, "jcmwb_file", None), where=f"line {node.start_mark.line + 1}", expected="a number", found=f"{len(node.value):,} characters"
        ) from exc


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def load_yaml(path: Path, error: type[JcmwbError] = SpecError, problems: list[SpecError] | None = None) -> Any:
    """Read a YAML file strictly (duplicate keys refused); errors name the file and line.

    With a ``problems`` list, duplicate keys and impossible dates are appended to it and
    reading goes on (the spec loader reports every problem at once); without, the first raises.
    """
    path = Path(path)
    # Regular files only, size-capped and opened without blocking (a FIFO, /dev/zero, a folder
    # named x.yaml are refused by name); text must be UTF-8.
    data = read_input(path, limit=MAX_YAML_BYTES, error=error, what="file")
    text = decode_utf8(data, file=str(path), error=error)
    loader = _StrictLoader(text)
    loader.jcmwb_file = str(path)
    loader.jcmwb_problems = problems
    try:
        return loader.get_single_data()
    except SpecError as exc:
        raise error(exc.message, file=str(path), where=exc.where, expected=exc.expected, found=exc.found) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise error(f"not valid YAML ({getattr(exc, 'problem', exc)})", file=str(path), where=where) from exc
    finally:
        loader.dispose()


# -- values as YAML reads them: the readers of specs, period files and project files share these --
def yaml_date(value: Any) -> dt.date:
    """A date as YAML reads it (a date; a date and time: its day) or as ISO text (``2024-04-01``).

    Raises
    ------
    ValueError
        ``value`` is none of these; the caller names its place in the file.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def yaml_yes_no(value: Any, yes: tuple[str, ...], no: tuple[str, ...]) -> bool | None:
    """A yes/no answer: a YAML boolean, or one of the words ``yes`` or ``no`` (lower case,
    blanks around ignored, as the value is written in any case); None for anything else."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in yes else False if text in no else None
