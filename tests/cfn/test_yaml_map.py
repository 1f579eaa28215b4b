"""The reader's YAML mapping constructor (linear duplicate-key check) behaves exactly as cfn-lint's."""

from __future__ import annotations

import pytest
from cfnlint.decode import cfn_yaml
from cfnlint.decode.cfn_yaml import CfnFullLoader, NodeConstructor

from cloudwright.cfn import reader
from cloudwright.cfn.yaml_map import construct_yaml_map

DOCUMENTS = [
    "Resources:\n  A: {Type: AWS::S3::Bucket}\n  B: {Type: AWS::S3::Bucket}\n",
    "Resources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::SQS::Queue}\n",
    "a: 1\nb: 2\na: 3\nb: 4\na: 5\n",
    "x:\n  y: 1\n  z: {k: 1, k: 2}\n",
    "base: &b {p: 1, q: 2}\nuse:\n  <<: *b\n  p: 3\n  p: 4\n",
    "1: a\n2: b\n",
    "1: a\n1: b\n",
    "? [1, 2]\n: x\n",
    "? null\n: x\n",
    "k: !Ref Foo\nl: !GetAtt A.Arn\nk: !Sub x\n",
    "Resources:\n" + "".join(f"  R{i}: {{Type: AWS::S3::Bucket}}\n" for i in range(300)) + "  R7: {}\n",
]


def _original_loader() -> type:
    class Original(CfnFullLoader):
        pass

    Original.yaml_implicit_resolvers = reader._loader_class().yaml_implicit_resolvers
    Original.add_constructor("tag:yaml.org,2002:map", NodeConstructor.construct_yaml_map)
    return Original


def _load(cls: type, text: str) -> tuple[str, object]:
    loader = cls(text, "t.yaml")
    loader.add_multi_constructor("!", cfn_yaml.multi_constructor)
    try:
        data = loader.get_single_data()
    except cfn_yaml.CfnParseError as exc:
        return "error", [(m.message, m.linenumber, m.columnnumber) for m in exc.matches]
    except Exception as exc:
        return "exception", type(exc).__name__
    return "data", (data, _lines(data))


def _lines(node: object) -> object:
    if isinstance(node, dict):
        return [(k, getattr(k, "start_mark", None) and k.start_mark.line, _lines(v)) for k, v in node.items()]
    if isinstance(node, list):
        return [_lines(v) for v in node]
    return getattr(node, "start_mark", None) and node.start_mark.line


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_data_lines_and_errors_as_cfn_lint(text):
    assert reader._loader_class().yaml_constructors["tag:yaml.org,2002:map"] is construct_yaml_map
    assert _load(reader._loader_class(), text) == _load(_original_loader(), text)


def test_duplicate_resource_is_refused_naming_both_lines():
    from cloudwright.errors import TemplateError

    with pytest.raises(TemplateError) as err:
        reader.decode(DOCUMENTS[1], source="t.yaml")
    assert "duplicate key 'A'" in str(err.value)
