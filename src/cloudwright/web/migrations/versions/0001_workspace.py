"""Workspace: designs, immutable versions and their rendered files.

Revision ID: 0001_workspace
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_workspace"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cw_designs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("environment", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("copied_from", sa.String(64), nullable=True),
    )
    op.create_table(
        "cw_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("design_id", sa.Integer(), sa.ForeignKey("cw_designs.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("requirements_json", sa.Text(), nullable=False),
        sa.Column("usage_json", sa.Text(), nullable=False),
        sa.Column("pattern_id", sa.String(100), nullable=False),
        sa.Column("catalog_date", sa.String(32), nullable=False),
        sa.Column("monthly_usd", sa.String(40), nullable=False),
        sa.Column("verdict", sa.String(40), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.UniqueConstraint("design_id", "number", name="uq_cw_versions_design_number"),
    )
    op.create_index("ix_cw_versions_design_id", "cw_versions", ["design_id"])
    op.create_table(
        "cw_files",
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("cw_versions.id"), primary_key=True),
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("cw_files")
    op.drop_index("ix_cw_versions_design_id", table_name="cw_versions")
    op.drop_table("cw_versions")
    op.drop_table("cw_designs")
