"""The tag-style data file matches cfn-lint's bundled schemas, and rendering never imports cfn-lint."""

from __future__ import annotations

import subprocess
import sys

from cloudwright.tagstyles import STYLES, from_schemas, tag_styles


def test_the_data_file_matches_the_schemas_bundled_with_cfn_lint() -> None:
    fresh = from_schemas()["styles"]
    assert tag_styles() == fresh, (
        "cfn-lint's schemas changed: regenerate with "
        "`.venv/bin/python -m cloudwright.tagstyles > src/cloudwright/data/tag_styles.json`"
    )
    assert set(fresh.values()) <= set(STYLES)
    assert fresh["AWS::AutoScaling::AutoScalingGroup"] == "list-propagate"
    assert fresh["AWS::S3::Bucket"] == "list"
    assert "AWS::IAM::Policy" not in fresh


def test_rendering_a_design_does_not_import_cfn_lint() -> None:
    code = (
        "import sys\n"
        "from cloudwright.design.build import build_design\n"
        "from cloudwright.cfn.writer import render_template\n"
        "from cloudwright.patterns.recommend import recommend\n"
        "from cloudwright.requirements import Requirements\n"
        "req = Requirements(name='demo')\n"
        "render_template(build_design(req, recommend(req, flips=False).pattern.id))\n"
        "assert 'cfnlint' not in sys.modules, 'cfn-lint was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
