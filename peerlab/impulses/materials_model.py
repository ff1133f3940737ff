"""Materials of an impulse: an uploaded file (stored under instance/ by a random name) or a link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerlab.core.types import UTCDateTime
from peerlab.extensions import db

MATERIAL_KINDS = ("file", "link")


class Material(db.Model):
    __tablename__ = "impulse_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    impulse_id: Mapped[int] = mapped_column(
        ForeignKey("impulses.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(4))
    title: Mapped[str] = mapped_column(String(160))
    url: Mapped[str] = mapped_column(String(500), default="")  # a link
    # a file: the random name under the materials folder, the detected type, the name offered
    # for download (cleaned from the uploaded name, extension from the detected type)
    stored_name: Mapped[str] = mapped_column(String(64), default="")
    file_type: Mapped[str] = mapped_column(String(8), default="")
    download_name: Mapped[str] = mapped_column(String(120), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    impulse = relationship("Impulse")

    __table_args__ = (
        CheckConstraint("kind IN ('file', 'link')", name="ck_impulse_materials_kind"),
    )
