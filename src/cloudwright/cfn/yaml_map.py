"""cfn-lint's YAML mapping constructor with its duplicate-key check in linear time.

cfn-lint's decoder (``cfnlint.decode.cfn_yaml.NodeConstructor.construct_yaml_map``) finds a duplicate key
by comparing each key with every key already read in the same mapping: quadratic in the size of one
mapping. A template's ``Resources`` section is one mapping, so at 20,000 resources that comparison alone
took most of the time of reading the template (about 200 million string comparisons). This constructor
looks each key up in a dictionary of the keys already read instead, and is otherwise the same code: the
same mapping, the same nodes and lines, and the same errors (the same duplicate messages, in the same
order, and the same unhashable-key and null-key errors).
"""

from __future__ import annotations

from typing import Any


def construct_yaml_map(self: Any, node: Any) -> Any:
    """``NodeConstructor.construct_yaml_map`` of cfn-lint, with a dictionary lookup for duplicates."""
    from cfnlint.decode.cfn_yaml import CfnParseError, build_match
    from cfnlint.decode.node import dict_node
    from yaml.constructor import SafeConstructor

    mapping: dict[Any, Any] = {}
    #: each key read → the first key node equal to it (the one a duplicate is reported against)
    first: dict[Any, Any] = {}
    self.flatten_mapping(node)
    matches: list[Any] = []
    using_merge = getattr(node, "using_merge", False)

    def duplicate(key: Any, at: Any) -> Any:
        line = at.start_mark.line
        return build_match(
            filename=self.filename,
            message=f"Duplicate found {key!r} (line {line + 1})",
            line_number=line,
            column_number=at.start_mark.column,
            key=key,
        )

    for key_node, value_node in node.value:
        key = self.construct_object(key_node, False)
        value = self.construct_object(value_node, False)

        if key is None:
            raise CfnParseError(
                self.filename,
                [
                    build_match(
                        filename=self.filename,
                        message=(
                            f"Null key {key_node.value!r} not supported (line {key_node.start_mark.line + 1})"
                        ),
                        line_number=key_node.start_mark.line,
                        column_number=key_node.start_mark.column,
                        key=key_node.value,
                    ),
                ],
            )
        if not using_merge:
            try:
                found = key in first
            except TypeError:  # unhashable: reported below, as cfn-lint does
                found = False
            if found:
                key_dup = first[key]
                if matches:
                    matches.append(duplicate(key, key_node))
                else:
                    matches.extend([duplicate(key, key_dup), duplicate(key, key_node)])
        try:
            mapping[key] = value
        except Exception as exc:
            raise CfnParseError(
                self.filename,
                [
                    build_match(
                        filename=self.filename,
                        message=f'Unhashable type "{key}" (line {key.start_mark.line + 1})',
                        line_number=key.start_mark.line,
                        column_number=key.start_mark.column,
                        key=key,
                    ),
                ],
            ) from exc
        first.setdefault(key, key)

    if matches:
        raise CfnParseError(self.filename, matches)

    (obj,) = SafeConstructor.construct_yaml_map(self, node)
    return dict_node(obj, node.start_mark, node.end_mark, using_merge)
