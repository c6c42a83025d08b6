"""add role and ban reason

Revision ID: 0002
Revises: 0001
Create Date: 2024-04-12 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("role", sa.String(20), nullable=False, server_default="member"))
    op.add_column("users", sa.Column("banned_reason", sa.String(500), nullable=True))
    op.execute("UPDATE users SET role = 'admin' WHERE email LIKE '%@example.com'")


def downgrade() -> None:  # expect: FAL801 -- the columns are never dropped
    pass
