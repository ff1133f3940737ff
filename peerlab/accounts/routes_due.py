"""Admin page of background work given up (core due items after max_attempts): list them and
start one again. Admins only; the page shows no payload and only a short, address-free error."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from peerlab.accounts import service
from peerlab.accounts.routes import bp
from peerlab.accounts.routes_admin import _admin  # the one admin check of the admin area
from peerlab.core import due
from peerlab.core.clock import utcnow
from peerlab.extensions import db


@bp.get("/verwaltung/aufgaben")
@login_required
def failed_jobs():
    _admin()
    return render_template("accounts/failed_jobs.html", items=due.failed_items())


@bp.post("/verwaltung/aufgaben/<int:item_id>/erneut")
@login_required
def retry_job(item_id: int):
    # The CSRF token is checked for every POST by CSRFProtect (peerlab/security.py).
    actor = _admin()
    now = utcnow()
    item = due.retry(item_id, now=now)  # NotFound: missing or not given up
    service.audit(
        actor=actor, action="due_retry", target=None, now=now, kind=item.kind, item=str(item.id)
    )
    db.session.commit()
    flash(
        _(
            "Die Aufgabe %(id)s ist wieder fällig und wird beim nächsten Durchlauf ausgeführt.",
            id=item.id,
        ),
        "success",
    )
    return redirect(url_for("accounts.failed_jobs"))
