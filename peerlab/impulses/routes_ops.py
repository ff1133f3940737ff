"""Impulse pages around the dates: mail to all registrants (with preview), the signed
"Platz freigeben" link, the public series feed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.core.actions import Next, run_or_flash
from peerlab.core.clock import utcnow
from peerlab.core.errors import InvalidInput, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.ical import service as ical_service
from peerlab.ical.routes import calendar_response
from peerlab.impulses import access, feed
from peerlab.impulses.forms_ops import BroadcastForm
from peerlab.impulses.service import broadcast, release

bp = Blueprint("impulse_ops", __name__, url_prefix="/impulse")


# --- mail to all registrants ----------------------------------------------------------------


def _scope_choices(series) -> list[tuple[str, str]]:
    from flask_babel import format_datetime

    choices = [("series", _("Alle Termine der Reihe"))]
    for impulse in series.impulses:
        if impulse.cancelled_at is None:
            when = format_datetime(impulse.starts_at, "short")
            choices.append((str(impulse.id), f"{when}: {impulse.title}"))
    return choices


def _message(form: BroadcastForm) -> broadcast.Message:
    scope = form.scope.data or "series"
    return broadcast.Message(
        subject=form.subject.data or "",
        body=form.body.data or "",
        impulse_id=None if scope == "series" else int(scope),
        include_waiting=bool(form.include_waiting.data),
    )


@bp.route("/<int:series_id>/nachricht", methods=["GET", "POST"])
@login_required
def message(series_id: int):
    """Write, preview, send: the first POST shows the mail and its recipients, the second
    (from the preview) sends it; "Ändern" goes back to the form with the text kept."""
    series = access.series_for_organizer(series_id, current_user)
    form = BroadcastForm()
    form.scope.choices = _scope_choices(series)
    if request.method == "GET":
        chosen = request.args.get("termin", "")
        form.scope.data = chosen if chosen in {v for v, _l in form.scope.choices} else "series"
        return render_template("impulses/message.html", series=series, form=form, preview=None)
    now = utcnow()
    step = request.form.get("schritt", "")
    if not form.validate_on_submit() or step == "aendern":
        return render_template("impulses/message.html", series=series, form=form, preview=None)
    try:
        msg = broadcast.check(_message(form))
        people = broadcast.recipients(series, msg, now)
        if step != "senden":
            form.nonce.data = broadcast.new_nonce()
            return render_template(
                "impulses/message.html",
                series=series,
                form=form,
                preview={"message": msg, "count": len(people)},
            )
        count = broadcast.send(series, msg, nonce=form.nonce.data, actor=current_user, now=now)
    except InvalidInput as err:
        db.session.rollback()
        form.body.errors = [err.message]
        return render_template("impulses/message.html", series=series, form=form, preview=None)
    db.session.commit()
    flash(_("Die Nachricht geht an %(count)s Personen, an jede einzeln.", count=count), "success")
    return redirect(url_for("impulses.show_series", series_id=series.id))


# --- signed "Platz freigeben" link ------------------------------------------------------------


@bp.route("/platz/<string:token>", methods=["GET", "POST"])
def release_place(token: str):
    """No sign-in needed: the signed link is the permission and can only free this place.
    GET asks (mail scanners open links), POST frees."""
    now = utcnow()
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            raise InvalidInput()
        here = url_for("impulse_ops.release_place", token=token)

        def free() -> Next:
            release.release(token, now)
            return Next(here, _("Ihr Platz ist freigegeben. Danke, dass Sie Bescheid geben."))

        return run_or_flash(free, back=here, catch=InvalidInput)
    found = release.resolve(token, now)
    status = 404 if found.state == "invalid" else 200
    return (
        render_template("impulses/release.html", found=found, form=EmptyForm(), token=token),
        status,
    )


# --- feeds --------------------------------------------------------------------------------------


@bp.get("/<int:series_id>/kalender.ics")
def public_feed(series_id: int):
    """The feed of a public series, without any token; 404 for a network-only series."""
    series = access.series_for_view(series_id, None)
    if series.audience != "public":
        raise NotFound()
    now = utcnow()
    body = ical_service.public_feed(feed.public_events(series, now), name=series.title, now=now)
    return calendar_response(body, filename=f"reihe-{series.id}.ics", cache=True)
