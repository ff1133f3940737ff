"""A member's own download ("Meine Beiträge herunterladen") and ending a group by hand
("Gruppe beenden"). Every route asks `access` first: 404 for everyone but active members
(owners for ending)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.core.clock import utcnow
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.forms import EndForm
from peerlab.groups.routes import _actor, bp
from peerlab.groups.service import own


@bp.get("/<int:group_id>/meine-beitraege")
@login_required
def own_download(group_id: int):
    group, me = access.require_member(group_id, _actor())
    now = utcnow()
    body = own.markdown(group, me, current_user._get_current_object(), now=now)
    # The file name names no group: downloads folders and browser histories are seen by others.
    name = f"peerlab-meine-beitraege-{now:%Y-%m-%d}.md"
    return Response(
        body,
        mimetype="text/markdown",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/<int:group_id>/beenden", methods=["GET", "POST"])
@login_required
def end(group_id: int):
    group, _me = access.require_owner(group_id, _actor())
    form = EndForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            if form.csrf_token.errors:
                abort(400)
            return render_template("groups/end.html", group=group, form=form), 422
        own.end_by_owner(group, now=utcnow())
        db.session.commit()
        flash(_("Die Gruppe ist beendet. Alle Inhalte sind endgültig gelöscht."), "success")
        return redirect(url_for("groups.index"))
    return render_template("groups/end.html", group=group, form=form)
