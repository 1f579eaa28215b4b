"""Reading every input file the same bounded way, and parsing YAML/JSON without surprises.

Every file a user hands to cloudwright (requirements, usage files, price books, templates, offer files)
is read through :func:`read_input`:

* only regular files are read: a FIFO, socket, character or block device (``/dev/zero``) or directory
  is refused at once from ``stat`` — it is never opened, so nothing blocks;
* the file is read up to a documented size cap (:data:`SIZE_CAPS`) and refused beyond it without
  reading the rest;
* it must be UTF-8 text (a leading BOM is dropped).

:func:`parse_yaml` and :func:`parse_json` refuse what would make a later stage blow up:

* YAML aliases may add at most :data:`MAX_ALIAS_EXPANSION` nodes to a document (a "billion laughs"
  alias bomb is refused after one pass over its events, in milliseconds);
* a key repeated in one mapping is refused naming the key and both lines (YAML) or the key (JSON)
  instead of the last one silently winning;
* nesting deeper than Python can follow is refused instead of crashing.

Every refusal is an :class:`~cloudwright.errors.InputError` (exit status 2) whose message names the
file and, where known, the line and column; values in messages are shortened (:func:`clip`).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from cloudwright.errors import CloudwrightError, InputError, TemplateError, clip

MiB = 1024 * 1024

#: Largest file read for each kind of input, in bytes. CloudFormation itself accepts templates of at
#: most 1 MB (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
#: templates get ten times that. AWS Price List offer files for one service and Region are large JSON
#: documents; the biggest commonly imported ones (per-Region files) fit in 256 MiB.
SIZE_CAPS: dict[str, int] = {
    "requirements file": 1 * MiB,
    "usage file": 1 * MiB,
    "price book": 1 * MiB,
    "template": 10 * MiB,
    "offer file": 256 * MiB,
    "file": 10 * MiB,
}

#: Nodes that YAML aliases (``*name``) may add to one document when expanded.
MAX_ALIAS_EXPANSION = 100_000


def _human(n: int) -> str:
    return f"{n // MiB} MiB" if n >= MiB and n % MiB == 0 else f"{n:,} bytes"


def read_input(path: str | Path, *, what: str = "file", field: str = "file") -> str:
    """Text of a regular file of at most ``SIZE_CAPS[what]`` bytes; anything else is an InputError.

    ``what`` names the kind of input (a key of :data:`SIZE_CAPS`) and is used in messages; ``field``
    names the option or argument that gave the path. Templates (``what="template"``) fail with a
    :class:`~cloudwright.errors.TemplateError` naming the path, like every other template problem.
    """
    p = Path(path)

    def fail(message: str) -> CloudwrightError:
        if what == "template":
            return TemplateError(message, path=str(p))
        return InputError(message, field=field, value=str(p))

    cap = SIZE_CAPS.get(what, SIZE_CAPS["file"])
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise fail("no such template file" if what == "template" else f"{what} not found") from None
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror or exc}") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise fail(f"{what} is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a character device"
            if stat.S_ISCHR(mode)
            else "a block device"
            if stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise fail(f"{what} is {kind}; only regular files are read")
    if st.st_size > cap:
        raise fail(f"{what} is {st.st_size:,} bytes; the limit is {_human(cap)}")
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening does not block.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise fail(f"{what} is not a regular file")
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise fail(f"{what} is larger than the limit of {_human(cap)}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"{what} is not UTF-8 text (byte {exc.start:,} cannot be decoded)") from None
    return text.removeprefix("\ufeff")


# --------------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------------
_ANCHOR_RE = re.compile(r"(?:^|[\s\[{,:-])&[^\s\[\]{},]")


def check_aliases(text: str, *, source: str, field: str = "file", loader: Any = None) -> None:
    """Refuse YAML whose aliases would add more than :data:`MAX_ALIAS_EXPANSION` nodes.

    One pass over the parser's events: each anchored node's expanded size is remembered, and every
    alias adds it again. Documents without anchors (nearly all) skip the pass.
    """
    if "&" not in text or not _ANCHOR_RE.search(text):
        return
    import yaml

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, expanded size]
    added = 0
    try:
        for event in yaml.parse(text, Loader=loader or _fast_loader()):
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor or "", 1)
                added += size
                if added > MAX_ALIAS_EXPANSION:
                    mark = event.start_mark
                    where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
                    raise InputError(
                        f"{where}: YAML aliases expand to more than "
                        f"{MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?); write the values out instead",
                        field=field,
                    )
                if stack:
                    stack[-1][1] += size
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                if stack:
                    stack[-1][1] += 1
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                stack.append([event.anchor, 1])
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                if stack:
                    stack[-1][1] += size
    except yaml.YAMLError:
        return  # the real load reports the syntax error with its position


def _fast_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _strict_loader() -> Any:
    import yaml
    from yaml.constructor import ConstructorError

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        """SafeLoader that refuses a key repeated in one mapping."""

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in out:
                raise ConstructorError(
                    None,
                    None,
                    f"duplicate key {clip(key)} (first at line {first[key]})",
                    key_node.start_mark,
                )
            out[key] = loader.construct_object(value_node, deep=deep)
            first[key] = key_node.start_mark.line + 1
        return out

    StrictLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return StrictLoader


_STRICT: Any = None


def parse_yaml(text: str, *, source: str = "<input>", field: str = "file") -> Any:
    """Parse YAML with an alias-expansion limit and no duplicate keys; errors name source:line:column."""
    import yaml

    global _STRICT
    if _STRICT is None:
        _STRICT = _strict_loader()
    check_aliases(text, source=source, field=field)
    try:
        return yaml.load(text, Loader=_STRICT)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{where}: malformed YAML: {problem}", field=field) from None
    except RecursionError:
        raise InputError(f"{source}: the document nests too deeply", field=field) from None


def key_positions(text: str) -> dict[str, tuple[int, int]]:
    """1-based (line, column) of each top-level key (or of keys under a lone ``requirements:`` key)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=_fast_loader())
    except (yaml.YAMLError, RecursionError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    if len(node.value) == 1 and isinstance(node.value[0][1], yaml.MappingNode):
        key = node.value[0][0]
        if isinstance(key, yaml.ScalarNode) and key.value == "requirements":
            node = node.value[0][1]
    out: dict[str, tuple[int, int]] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            out.setdefault(
                str(key_node.value), (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            )
    return out


# --------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------
class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def parse_json(text: str, *, source: str = "<input>", field: str = "file") -> Any:
    """Parse JSON refusing duplicate keys and NaN/Infinity; errors name source:line:column."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}", field=field
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            f"{source}: duplicate key {clip(exc.args[0])} in a JSON object", field=field
        ) from None
    except ValueError as exc:
        raise InputError(
            f"{source}: {exc.args[0]} is not a number (only finite numbers are allowed)", field=field
        ) from None
    except RecursionError:
        raise InputError(f"{source}: the document nests too deeply", field=field) from None


def parse_document(text: str, *, source: str = "<input>", field: str = "file") -> Any:
    """JSON when the text starts with ``{`` or ``[``, otherwise YAML."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        return parse_json(text, source=source, field=field)
    return parse_yaml(text, source=source, field=field)


def read_document(path: str | Path, *, what: str = "file", field: str = "file") -> Any:
    """:func:`read_input` then :func:`parse_document`."""
    return parse_document(read_input(path, what=what, field=field), source=str(path), field=field)


# --------------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------------
_REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")


def known_regions() -> frozenset[str]:
    """Region codes cloudwright accepts (the Region registry, :mod:`cloudwright.regions`)."""
    from cloudwright import regions

    return frozenset(regions.BY_CODE)


def check_region(value: Any, *, field: str = "region") -> str:
    """A known AWS Region code (lower-cased), or an InputError naming the field and the value."""
    if not isinstance(value, str):
        raise InputError("a Region code is text", field=field, value=value)
    code = value.strip().lower()
    if not _REGION_RE.match(code) or code not in known_regions():
        raise InputError(
            "unknown AWS Region",
            field=field,
            value=value,
            allowed="a Region code such as us-east-1 or eu-west-1 (see docs/requirements.md)",
        )
    return code
