"""Lean Coffee pages: list, create/edit/cancel, the board, joining by link, summary, export."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from peerlab.accounts.actors import GUEST_KEY, current_actor
from peerlab.accounts.models import User
from peerlab.core import spaces
from peerlab.core.clock import utcnow
from peerlab.core.errors import Forbidden, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.core.urls import MAX_ID
from peerlab.extensions import db
from peerlab.lean_coffee import access, calendar_source, payloads, sharing
from peerlab.lean_coffee.forms import GuestJoinForm, RoundForm
from peerlab.lean_coffee.models import FACILITATING, Participant, Round
from peerlab.lean_coffee.service import notes, rounds
from peerlab.lean_coffee.service import summary as summary_service
from peerlab.pages import share

bp = Blueprint("lean_coffee", __name__)
BERLIN = ZoneInfo("Europe/Berlin")
CREATORS = ("organizer", "admin")


@bp.app_template_global()
def anonymity_note(grouped: bool = False) -> Markup:
    """The one true sentence about anonymous topics, with the page that explains the rest
    (the round form's hint and the board's note). Outside groups Lean Coffee's mark is
    recognisable: it does not claim that nothing about the author is stored. In a group's round
    the topic is unlinkable after the token's window (service/topics.UNLINKABLE_WINDOW)."""
    text = (
        _(
            "Niemand sieht, von wem das Thema stammt. 15 Minuten lang kann nur Ihr Browser es "
            "ändern oder zurückziehen; danach kann niemand, auch nicht der Betrieb, feststellen, "
            "wer es eingebracht hat."
        )
        if grouped
        else _("Andere Teilnehmende und die Moderation sehen nicht, von wem das Thema stammt.")
    )
    return Markup('{} <a class="kern-link" href="{}">{}</a>').format(
        text,
        url_for("pages.anonymity"),
        _("Wie anonym ist anonym?"),
    )


def _round_and_participant(round_id: int) -> tuple[Round, Participant]:
    actor = current_actor()
    if actor is None:
        abort(401)
    return _round(round_id), access.require(db.session.get(Round, round_id), actor)


def _round(round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        raise NotFound()
    return rnd


def _facilitating_user(round_id: int) -> tuple[Round, Participant]:
    if not current_user.is_authenticated:
        abort(401)
    rnd, me = _round_and_participant(round_id)
    if me.role not in FACILITATING or me.user_id is None:
        raise Forbidden()
    return rnd, me


def _delete_url(rnd: Round) -> str | None:
    """The link to the delete page, for the round's creator and admins only."""
    if not access.may_delete(rnd, current_actor()):
        return None
    return url_for("lean_coffee.confirm_delete", round_id=rnd.id)


def _invitee_choices() -> list[tuple[int, str]]:
    users = db.session.scalars(
        select(User).where(User.status == "active").order_by(User.name, User.email)
    ).all()
    return [
        (u.id, f"{u.display_name}" + (f" ({u.municipality})" if u.municipality else ""))
        for u in users
        if u.id != current_user.id
    ]


def settings_from(form: RoundForm) -> rounds.RoundSettings:
    """The round's settings from the form (a form without the access field: invited only)."""
    starts = datetime.combine(form.day.data, form.start_time.data, tzinfo=BERLIN)
    return rounds.RoundSettings(
        title=form.title.data or "",
        description=form.description.data or "",
        starts_at=starts,
        planned_minutes=form.planned_minutes.data,
        video_url=form.video_url.data or "",
        vote_budget=form.vote_budget.data,
        multiple_dots=bool(form.multiple_dots.data),
        timebox_seconds=form.timebox_minutes.data * 60,
        extension_percent=form.extension_percent.data,
        min_extension_seconds=form.min_extension_minutes.data * 60,
        anonymous_allowed=bool(form.anonymous_allowed.data),
        access=form.access.data if "access" in form else "invited",
    )


@bp.get("/runden")
@login_required
def list_rounds():
    now = utcnow()
    rows = db.session.scalars(
        spaces.visible(
            access.SPACE_KIND, select(Round).order_by(Round.starts_at.desc()), current_actor()
        )
    ).all()
    upcoming = [r for r in rows if r.phase != "closed" and r.cancelled_at is None]
    past = [r for r in rows if r not in upcoming]
    return render_template(
        "lean_coffee/list.html",
        upcoming=sorted(upcoming, key=lambda r: r.starts_at),
        past=past,
        now=now,
        may_create=current_user.role in CREATORS,
    )


@bp.route("/runden/neu", methods=["GET", "POST"])
@login_required
def create_round():
    if current_user.role not in CREATORS:
        raise Forbidden()
    source = None
    follow_up_of = request.args.get("nach", type=int)
    if follow_up_of is not None:
        if not 1 <= follow_up_of <= MAX_ID:
            raise NotFound()
        source, _me = _facilitating_user(follow_up_of)
        if source.group_id is not None:  # its topics stay in the group
            raise NotFound()
    form = RoundForm()
    form.invitees.choices = _invitee_choices()
    if request.method == "GET" and source is not None:
        form.title.data = _("Fortsetzung: %(title)s", title=source.title)[:160]
        form.invitees.data = [
            p.user_id
            for p in db.session.scalars(
                select(Participant).where(
                    Participant.round_id == source.id,
                    Participant.user_id.is_not(None),
                    Participant.user_id != current_user.id,
                )
            )
        ]
    if form.validate_on_submit():
        now = utcnow()
        invitees = [db.session.get(User, uid) for uid in form.invitees.data or []]
        rnd = rounds.create_round(
            settings_from(form),
            creator=current_user,
            invitees=[u for u in invitees if u],
            now=now,
            follow_up_of=source,
        )
        calendar_source.invite_all(rnd, organizer=current_user, now=now)
        db.session.commit()
        flash(_("Die Runde ist angelegt. Die Einladungen gehen per E-Mail hinaus."), "success")
        return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    return render_template("lean_coffee/form.html", form=form, rnd=None, source=source)


@bp.route("/runden/<int:round_id>/bearbeiten", methods=["GET", "POST"])
def edit_round(round_id: int):
    rnd, _me = _facilitating_user(round_id)
    form = RoundForm(obj=None)
    form.invitees.choices = _invitee_choices()
    names = access.group_names(rnd)
    if names is not None:  # a group's round: its members (by identity in the group), no link
        form.invitees.choices = [(uid, n) for uid, n in names.items() if uid != current_user.id]
        del form.access
    if request.method == "GET":
        local = rnd.starts_at.astimezone(BERLIN)
        for name, value in (
            ("title", rnd.title),
            ("description", rnd.description),
            ("day", local.date()),
            ("start_time", local.time()),
            ("planned_minutes", rnd.planned_minutes),
            ("video_url", rnd.video_url),
            ("vote_budget", rnd.vote_budget),
            ("multiple_dots", rnd.multiple_dots),
            ("timebox_minutes", rnd.timebox_seconds // 60),
            ("extension_percent", rnd.extension_percent),
            ("min_extension_minutes", max(1, rnd.min_extension_seconds // 60)),
            ("anonymous_allowed", rnd.anonymous_allowed),
            ("access", rnd.access),
        ):
            if name in form:
                getattr(form, name).data = value
        form.invitees.data = [
            p.user_id
            for p in db.session.scalars(
                select(Participant).where(
                    Participant.round_id == rnd.id,
                    Participant.invited.is_(True),
                    Participant.user_id.is_not(None),
                )
            )
        ]
    if form.validate_on_submit():
        now = utcnow()
        time_changed = rounds.update_round(rnd, settings_from(form), now=now)
        people = [db.session.get(User, uid) for uid in form.invitees.data or []]
        rounds.invite_people(rnd, [u for u in people if u], organizer=current_user, now=now)
        if time_changed:
            calendar_source.send_update(rnd, now=now)
        from peerlab.lean_coffee.events import broadcast

        broadcast(rnd, now)
        db.session.commit()
        flash(_("Die Änderungen sind gespeichert."), "success")
        return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    return render_template(
        "lean_coffee/form.html", form=form, rnd=rnd, source=None, cancel_form=EmptyForm()
    )


@bp.post("/runden/<int:round_id>/absagen")
def cancel_round(round_id: int):
    rnd, _me = _facilitating_user(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = utcnow()
    rounds.cancel_round(rnd, now=now)
    calendar_source.send_cancel(rnd, now=now)
    from peerlab.lean_coffee.events import broadcast

    broadcast(rnd, now)
    db.session.commit()
    flash(_("Die Runde ist abgesagt. Alle Eingeladenen erhalten eine Absage."), "success")
    return redirect(url_for("lean_coffee.list_rounds"))


@bp.get("/runden/<int:round_id>")
def show_round(round_id: int):
    if current_actor() is None:
        return redirect(url_for("accounts.login", next=request.path))
    rnd, me = _round_and_participant(round_id)
    is_fac = me.role in FACILITATING and me.user_id is not None
    return render_template(
        "lean_coffee/board.html",
        round=rnd,
        round_id=rnd.id,
        protocol_version=payloads.PROTOCOL,
        me_name=access.shown_name(me, access.group_names(rnd)) if rnd.group_id else me.label,
        is_facilitator=is_fac,
        is_guest=me.is_guest,
        phase_hints={
            p: rounds.phase_hint(p) for p in ("collect", "vote", "discuss", "wrapup", "closed")
        },
        summary_url=url_for("lean_coffee.summary", round_id=rnd.id),
        markdown_url=None
        if summary_service.page_only(rnd)
        else url_for("lean_coffee.summary_markdown", round_id=rnd.id),
        edit_url=url_for("lean_coffee.edit_round", round_id=rnd.id) if is_fac else None,
        delete_url=_delete_url(rnd),
        ics_url=calendar_source.download_url(rnd) if not me.is_guest else None,
        share_url=sharing.share_url(rnd) if is_fac else None,
        group_url=_group_page(rnd),
    )


def _group_page(rnd: Round) -> str | None:
    """A group's round links back to its group page (the reader is a member)."""
    hooks = access.group_hooks()
    return hooks.page_url(rnd) if rnd.group_id is not None and hooks is not None else None


@bp.get("/runden/<int:round_id>/teilen.svg")
def share_qr(round_id: int):
    """The QR code of the link a facilitator shares (see lean_coffee.sharing)."""
    rnd, _me = _facilitating_user(round_id)
    url = sharing.share_url(rnd)
    if url is None:
        raise NotFound()
    return share.qr_response(url)


@bp.route("/runden/<int:round_id>/beitreten/<token>", methods=["GET", "POST"])
def join(round_id: int, token: str):
    rnd = db.session.get(Round, round_id)
    if rnd is None or not access.may_join_by_link(rnd, token):
        raise NotFound(_("Dieser Link ist ungültig oder wurde widerrufen."))
    now = utcnow()
    if current_user.is_authenticated:
        rounds.ensure_participant(rnd, user=current_user, now=now)
        db.session.commit()
        return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    actor = current_actor()
    if actor is not None and access.access_for(rnd, actor).may_view:
        return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    form = GuestJoinForm()
    if form.validate_on_submit():
        guest, secret = rounds.create_guest(rnd, form.display_name.data, now=now)
        rounds.ensure_participant(rnd, guest=guest, now=now)
        db.session.commit()
        session[GUEST_KEY] = secret
        return redirect(url_for("lean_coffee.show_round", round_id=rnd.id))
    return render_template(
        "lean_coffee/join.html",
        rnd=rnd,
        form=form,
        login_url=url_for("accounts.login", next=request.path),
    )


@bp.post("/aufgaben/<int:action_id>/erledigt")
@login_required
def action_done(action_id: int):
    """The owner ticks an action item off on the dashboard (or, with erledigt=0, back on)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    done = request.form.get("erledigt", "1") != "0"
    item = notes.mark_action_done(action_id, current_user, done=done, now=utcnow())
    db.session.commit()
    flash(
        _("„%(what)s“ ist erledigt.", what=item.what)
        if done
        else _("„%(what)s“ ist wieder offen.", what=item.what),
        "success",
    )
    return redirect(url_for("pages.home"))
