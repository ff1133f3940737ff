"""Deleting a round: a confirmation page naming the consequences, then POST (with CSRF).

Only the round's creator and admins who may see the round get either; everyone else gets 404,
the same answer as for a round that does not exist."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from peerlab.accounts.actors import current_actor
from peerlab.core.clock import utcnow
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.lean_coffee.routes import bp
from peerlab.lean_coffee.service import removal

log = logging.getLogger(__name__)


@bp.get("/runden/<int:round_id>/loeschen")
def confirm_delete(round_id: int):
    rnd = removal.deletable(round_id, current_actor())
    cancels = removal.needs_cancellation(rnd, utcnow())
    return render_template(
        "lean_coffee/delete.html",
        rnd=rnd,
        cancels=cancels,
        invited=removal.cancellation_recipients(rnd.id) if cancels else 0,
        form=EmptyForm(),
    )


@bp.post("/runden/<int:round_id>/loeschen")
def delete_round(round_id: int):
    actor = current_actor()
    removal.deletable(round_id, actor)  # 404 before anything else for everyone else
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = utcnow()
    done = removal.delete_round(round_id, actor, now=now)
    removal.tell_open_boards(round_id, done)
    db.session.commit()
    if done.cancellations:
        flash(
            _(
                "Die Runde „%(title)s“ ist gelöscht. Alle Eingeladenen erhalten eine Absage "
                "für ihren Kalender.",
                title=done.title,
            ),
            "success",
        )
    else:
        flash(_("Die Runde „%(title)s“ ist gelöscht.", title=done.title), "success")
    return redirect(url_for("lean_coffee.list_rounds"))
