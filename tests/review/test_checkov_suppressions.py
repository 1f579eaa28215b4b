"""A checkov suppression with a written reason also covers our checks that reference that checkov id."""

from __future__ import annotations

from cloudwright.design.cfn_import import import_template
from cloudwright.review.engine import review_design
from cloudwright.review.model import Status

TEMPLATE = """
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_68
            comment: {comment}
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: o
          ViewerProtocolPolicy: redirect-to-https
          Compress: true
        Origins:
          - Id: o
            DomainName: example.com
            CustomOriginConfig: {{OriginProtocolPolicy: https-only}}
"""


def _cf002(review):
    return [r for r in review.results if r.check_id == "SEC-CF-002" and r.resource == "Cdn"]


def test_reasoned_checkov_skip_suppresses_the_cross_referenced_check_with_its_reason():
    review = review_design(import_template(TEMPLATE.format(comment='"Static files only."')))
    (result,) = _cf002(review)
    assert result.status is Status.SUPPRESSED
    assert result.reason == "Static files only."
    assert not [f for f in review.findings if f.check_id == "SEC-CF-002"]


def test_a_skip_without_a_reason_suppresses_nothing():
    review = review_design(import_template(TEMPLATE.format(comment='""')))
    (result,) = _cf002(review)
    assert result.status is Status.FAIL
    assert [f.resource for f in review.findings if f.check_id == "SEC-CF-002"] == ["Cdn"]
