"""One cost model per CloudFormation type; module name = cfn-lint's ToPy rule of the type.

Modules starting with ``_`` hold shared helpers and are not cost models.
"""
