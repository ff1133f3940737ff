"""The participant list as CSV that German Excel opens: UTF-8 with BOM, `;` separated, and
cells that Excel would read as a formula escaped with a leading apostrophe."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from peerlab.impulses.models import Impulse, Registration

RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    text = str(value)
    return "'" + text if text.startswith(RISKY) else text


def participants_csv(impulse: Impulse, confirmed: list[Registration], waiting: list[Registration]):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Name"), _("Kommune"), _("E-Mail"), _("Status"), _("Anwesend")])
    for row in [*confirmed, *waiting]:
        user = row.user
        writer.writerow(
            [
                safe_cell(user.display_name),
                safe_cell(user.municipality or ""),
                safe_cell(user.email),
                _("Platz bestätigt") if row.status == "confirmed" else _("Warteliste"),
                _("ja") if row.attended else _("nein"),
            ]
        )
    return "\ufeff" + out.getvalue()


def filename(impulse: Impulse) -> str:
    return f"teilnehmende-impuls-{impulse.id}.csv"
