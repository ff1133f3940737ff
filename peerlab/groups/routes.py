"""Group pages: list, create, the group page, members and invitations, leaving.
Thin: every route asks `access` first (non-members get 404 on every URL), then a service."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from peerlab.accounts.actors import current_actor
from peerlab.accounts.models import User
from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.core.spaces import Membership
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.forms import (
    GroupForm,
    InviteAccountForm,
    InviteAddressForm,
    JoinForm,
    LeaveForm,
    LinkForm,
    ThreadForm,
)
from peerlab.groups.models import SPACE_KIND, Group
from peerlab.groups.service import groups as service
from peerlab.groups.service import identity, invites, threads

bp = Blueprint("groups", __name__, url_prefix="/gruppen")


def _actor():
    actor = current_actor()
    if actor is None or actor.kind != "user":
        abort(401)
    return actor


def _choice(form) -> service.JoinChoice:
    return service.JoinChoice(
        accept_rule=bool(form.accept_rule.data),
        identity=form.identity.data or "",
        pseudonym=form.pseudonym.data or "",
    )


def _identity_choices(form, group: Group | None) -> None:
    """Offer only the identities the group allows (a new group: both)."""
    allowed = [
        c
        for c in form.identity.choices
        if group is None
        or (c.value == "real" and group.allow_real)
        or (c.value == "pseudonym" and group.allow_pseudonym)
    ]
    form.identity.choices = allowed
    if len(allowed) == 1 and not form.identity.data:
        form.identity.data = allowed[0].value


@bp.get("/")
@login_required
def index():
    actor = _actor()
    mine = db.session.scalars(
        access.POLICY.visible(select(Group).order_by(Group.name), actor)
    ).all()
    waiting = invites.pending_for(current_user, now=utcnow())
    return render_template("groups/list.html", groups=mine, waiting=waiting)


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def create():
    _actor()
    form = GroupForm()
    _identity_choices(form, None)
    error = None
    if form.validate_on_submit():
        settings = service.GroupSettings(
            name=form.name.data or "",
            purpose=form.purpose.data or "",
            size_limit=form.size_limit.data,
            allow_real=bool(form.allow_real.data),
            allow_pseudonym=bool(form.allow_pseudonym.data),
            allow_anonymous=bool(form.allow_anonymous.data),
            retention_days=None if form.retention.data == "end" else int(form.retention.data),
            members_may_invite=bool(form.members_may_invite.data),
        )
        try:
            group = service.create_group(
                settings, creator=current_user, choice=_choice(form), now=utcnow()
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Die Gruppe ist angelegt. Laden Sie jetzt Mitglieder ein."), "success")
            return redirect(url_for("groups.members", group_id=group.id))
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(
        "groups/form.html",
        form=form,
        error=error,
        suggestions=identity.suggestions(0, current_user),
    ), (422 if error else 200)


@bp.get("/<int:group_id>")
@login_required
def show(group_id: int):
    from peerlab.coaching import grouped as coaching

    actor = _actor()
    from peerlab.groups import rounds

    group, me = access.require_member(group_id, actor)
    upcoming, past = rounds.rounds_of(group)
    return render_template(
        "groups/show.html",
        sessions=coaching.sessions_of(group, actor, utcnow()),
        rounds_upcoming=upcoming,
        rounds_past=past,
        may_schedule=rounds.may_schedule(group, me),
        group=group,
        me=me,
        threads=threads.threads(group, utcnow()),
        members=service.members(group),
        form=ThreadForm(),
        note=threads.note(group),
    )


@bp.route("/<int:group_id>/mitglieder", methods=["GET"])
@login_required
def members(group_id: int):
    group, me = access.require_member(group_id, _actor())
    return render_template("groups/members.html", **_members_context(group, me))


def _members_context(group: Group, me: Membership, **forms) -> dict:
    account_form = forms.get("account_form") or InviteAccountForm()
    inside = select(Membership.user_id).where(
        Membership.space_kind == SPACE_KIND,
        Membership.space_id == group.id,
        Membership.status.in_(("active", "removed")),
    )
    people = db.session.scalars(
        select(User).where(User.status == "active", User.id.not_in(inside)).order_by(User.name)
    ).all()
    account_form.user_id.choices = [
        SelectChoice(u.id, u.display_name + (f" ({u.municipality})" if u.municipality else ""))
        for u in people
    ]
    return dict(
        group=group,
        me=me,
        members=service.members(group),
        may_invite=access.may_invite_accounts(group, me),
        may_invite_addresses=access.may_invite_addresses(current_user),
        account_form=account_form,
        address_form=forms.get("address_form") or InviteAddressForm(),
        link_form=forms.get("link_form") or LinkForm(),
        link=forms.get("link"),
        error=forms.get("error"),
        action_form=EmptyForm(),
    )


def _invite_page(group, me, error=None, status=200, **forms):
    context = _members_context(group, me, error=error, **forms)
    return render_template("groups/members.html", **context), (422 if error else status)


@bp.post("/<int:group_id>/einladen/konto")
@login_required
def invite_account(group_id: int):
    group, me = access.require_member(group_id, _actor())
    form = InviteAccountForm()
    _members_context(group, me, account_form=form)  # fills the choices it validates against
    if not form.validate_on_submit():
        return _invite_page(group, me, _("Bitte wählen Sie eine Person."), account_form=form)
    try:
        invites.invite_account(group, me, form.user_id.data, now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        return _invite_page(group, me, exc.message, account_form=form)
    db.session.commit()
    flash(_("Die Einladung ist verschickt. Die E-Mail nennt die Gruppe nicht."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.post("/<int:group_id>/einladen/adresse")
@login_required
def invite_address(group_id: int):
    group, me = access.require_member(group_id, _actor())
    form = InviteAddressForm()
    if not form.validate_on_submit():
        return _invite_page(
            group, me, _("Bitte geben Sie eine E-Mail-Adresse ein."), address_form=form
        )
    try:
        invites.invite_address(group, current_user, form.email.data, now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        return _invite_page(group, me, exc.message, address_form=form)
    db.session.commit()
    flash(_("Die Einladung ist verschickt. Die E-Mails nennen die Gruppe nicht."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.post("/<int:group_id>/einladen/link")
@login_required
def invite_link(group_id: int):
    group, me = access.require_member(group_id, _actor())
    form = LinkForm()
    if not form.validate_on_submit():
        return _invite_page(
            group, me, _("Bitte wählen Sie, wie lange der Link gilt."), link_form=form
        )
    try:
        secret = invites.create_link(group, me, int(form.days.data), now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        return _invite_page(group, me, exc.message, link_form=form)
    db.session.commit()
    link = url_for("groups.invitation", secret=secret, _external=True)
    return _invite_page(group, me, link=link, status=201)


@bp.post("/<int:group_id>/mitglieder/<int:membership_id>/entfernen")
@login_required
def remove_member(group_id: int, membership_id: int):
    group, me = access.require_owner(group_id, _actor())
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.remove_member(group, me, membership_id, now=utcnow())
    db.session.commit()
    flash(_("Das Mitglied ist entfernt und sieht die Gruppe nicht mehr."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.post("/<int:group_id>/mitglieder/<int:membership_id>/verantwortung")
@login_required
def make_owner(group_id: int, membership_id: int):
    group, _me = access.require_owner(group_id, _actor())
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.make_owner(group, membership_id)
    db.session.commit()
    flash(_("Das Mitglied trägt jetzt mit Verantwortung für die Gruppe."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.post("/<int:group_id>/anonym-aus")
@login_required
def anonymous_off(group_id: int):
    group, _me = access.require_owner(group_id, _actor())
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.switch_anonymous_off(group)
    db.session.commit()
    flash(_("Anonyme Beiträge sind abgeschaltet; bestehende bleiben."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.route("/<int:group_id>/verlassen", methods=["GET", "POST"])
@login_required
def leave(group_id: int):
    group, me = access.require_member(group_id, _actor())
    form = LeaveForm()
    others = [(m, name) for m, name in service.members(group) if m.id != me.id]
    form.successor.choices = [SelectChoice(m.id, name) for m, name in others]
    last_owner = access.is_owner(me) and not any(access.is_owner(m) for m, _n in others)
    if request.method == "POST":
        if not form.is_submitted() or not EmptyForm().validate_on_submit():
            abort(400)
        successor = form.successor.data if last_owner and others else None
        if successor is not None and successor not in {m.id for m, _n in others}:
            raise NotFound()
        service.leave(group, me, successor_id=successor, now=utcnow())
        db.session.commit()
        flash(_("Sie haben die Gruppe verlassen."), "success")
        return redirect(url_for("groups.index"))
    return render_template(
        "groups/leave.html", group=group, form=form, last_owner=last_owner, others=others
    )


@bp.route("/einladung/<secret>", methods=["GET", "POST"])
@login_required
def invitation(secret: str):
    _actor()
    now = utcnow()
    _inv, group = invites.lookup(secret, current_user, now=now)
    mine = service.members(group)
    form = JoinForm()
    _identity_choices(form, group)
    error = None
    if form.validate_on_submit():
        try:
            invites.join(secret, current_user, _choice(form), now=now)
        except DomainError as exc:
            db.session.rollback()
            if exc.status == 404:
                raise
            error = exc.message
        else:
            db.session.commit()
            flash(_("Willkommen in der Gruppe."), "success")
            return redirect(url_for("groups.show", group_id=group.id))
    elif request.method == "POST":
        error = _("Bitte prüfen Sie die markierten Felder.")
    return render_template(
        "groups/invitation.html",
        group=group,
        form=form,
        error=error,
        member_count=len(mine),
        suggestions=identity.suggestions(group.id, current_user),
    ), (422 if error else 200)
