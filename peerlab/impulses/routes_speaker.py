"""Speaker pages: the organizer assigns speakers; member speakers see their page when signed
in, guest speakers through their personal link. Routes on the impulses blueprint."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peerlab.core.actions import Next, attempt
from peerlab.core.clock import utcnow
from peerlab.core.errors import Forbidden, InvalidInput, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.impulses import access
from peerlab.impulses.forms_people import GuestSpeakerForm, MemberSpeakerForm
from peerlab.impulses.routes import _post, bp
from peerlab.impulses.service import speakers

TOKEN_MAX = 64


@bp.route("/termin/<int:impulse_id>/referierende", methods=["GET", "POST"])
@login_required
def manage_speakers(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    member_form = MemberSpeakerForm()
    guest_form = GuestSpeakerForm()
    which = request.form.get("formular") if request.method == "POST" else None
    form = {"mitglied": member_form, "gast": guest_form}.get(which or "")
    if form is not None and form.validate_on_submit():

        def add_speaker() -> None:
            if form is member_form:
                speakers.add_member(
                    impulse, form.account_email.data, actor=current_user, now=utcnow()
                )
            else:
                speakers.add_guest(
                    impulse, form.name.data, form.email.data, actor=current_user, now=utcnow()
                )

        added = attempt(add_speaker, catch=InvalidInput)
        if added.ok:
            flash(_("Eingetragen. Die Person bekommt eine E-Mail."), "success")
            return redirect(url_for("impulses.manage_speakers", impulse_id=impulse.id))
        (form.account_email if form is member_form else form.name).errors = [added.message]
    rows = speakers.of(impulse)
    return render_template(
        "impulses/speakers.html",
        impulse=impulse,
        rows=rows,
        links={s.id: speakers.link_url(s) for s in rows},
        member_form=member_form,
        guest_form=guest_form,
    )


def _speaker_action(speaker_id: int, act, message: str):
    speaker = speakers.speaker_for_organizer(speaker_id, current_user)
    impulse_id = speaker.impulse_id

    def run() -> Next:
        act(speaker)
        return Next(url_for("impulses.manage_speakers", impulse_id=impulse_id), message)

    return _post(run)


@bp.post("/referent/<int:speaker_id>/entfernen")
@login_required
def remove_speaker(speaker_id: int):
    return _speaker_action(
        speaker_id, lambda s: speakers.remove(s, actor=current_user), _("Ausgetragen.")
    )


@bp.post("/referent/<int:speaker_id>/link-neu")
@login_required
def renew_speaker_link(speaker_id: int):
    return _speaker_action(
        speaker_id,
        lambda s: speakers.renew_link(s, actor=current_user, now=utcnow()),
        _("Neuer Link verschickt. Der bisherige Link gilt nicht mehr."),
    )


@bp.post("/referent/<int:speaker_id>/link-sperren")
@login_required
def revoke_speaker_link(speaker_id: int):
    return _speaker_action(
        speaker_id,
        lambda s: speakers.revoke_link(s, actor=current_user),
        _("Der persönliche Link ist gesperrt."),
    )


@bp.get("/termin/<int:impulse_id>/referent")
@login_required
def speaker_page(impulse_id: int):
    """A member speaker's page (organizers of the series may look at it too)."""
    impulse = access.impulse_for_view(impulse_id, current_user)
    if not (
        speakers.speaks_at(impulse, current_user) or access.organizes(impulse.series, current_user)
    ):
        raise Forbidden()
    return _overview(impulse, guest=None)


@bp.get("/referent/<int:speaker_id>/<token>")
def speaker_link(speaker_id: int, token: str):
    """A guest speaker's page through their personal link (no account needed)."""
    if len(token) > TOKEN_MAX:
        raise NotFound()
    speaker = speakers.by_link(speaker_id, token)
    response = make_response(_overview(speaker.impulse, guest=speaker))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _overview(impulse, *, guest):
    return render_template(
        "impulses/speaker_page.html",
        view=speakers.overview(impulse, now=utcnow()),
        speakers=speakers.names([impulse.id]).get(impulse.id, []),
        guest=guest,
        form=EmptyForm(),
    )
