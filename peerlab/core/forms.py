"""Forms and field checks every feature uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from peerlab.core.urls import is_web_link


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (buttons that change state)."""


def web_link(_form, field) -> None:
    """WTForms check: only a complete http:// or https:// link (no javascript:, mailto:, ftp:,
    bare hosts); surrounding spaces are dropped."""
    value = (field.data or "").strip()
    field.data = value
    if value and not is_web_link(value):
        raise ValidationError(
            _l(
                "Bitte geben Sie einen vollständigen Link an, "
                "der mit https:// oder http:// beginnt."
            )
        )
