"""Thread pages: start a thread, reply, edit and delete own posts, owners' removal, "Melden",
the shared notes. Every route asks `access.require_member` first (404 for everyone else)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.groups import access
from peerlab.groups.forms import EditForm, NoteForm, ReplyForm, ThreadForm
from peerlab.groups.routes import _actor, bp
from peerlab.groups.service import anonymous, threads
from peerlab.groups.service import groups as group_service


def _thread_context(group, me, thread, now, **extra) -> dict:
    return dict(
        group=group,
        me=me,
        thread=thread,
        posts=threads.posts(thread, now),
        reports=threads.reported_posts(group) if access.is_owner(me) else {},
        may_change=lambda post: threads.may_change(post, me, now),
        is_owner=access.is_owner(me),
        anonymous_offered=anonymous.offered(group),
        action_form=EmptyForm(),
        form=extra.pop("form", None) or ReplyForm(),
        error=extra.pop("error", None),
        **extra,
    )


@bp.post("/<int:group_id>/themen")
@login_required
def start_thread(group_id: int):
    group, me = access.require_member(group_id, _actor())
    form = ThreadForm()
    error = None
    if form.validate_on_submit():
        try:
            thread = threads.start_thread(group, me, form.title.data, form.body.data, now=utcnow())
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            return redirect(url_for("groups.thread", group_id=group.id, thread_id=thread.public_id))
    else:
        error = _("Bitte geben Sie einen Titel und Ihren Beitrag ein.")
    return render_template(
        "groups/show.html",
        group=group,
        me=me,
        threads=threads.threads(group, utcnow()),
        members=group_service.members(group),
        form=form,
        note=threads.note(group),
        error=error,
    ), 422


@bp.get("/<int:group_id>/themen/<thread_id>")
@login_required
def thread(group_id: int, thread_id: str):
    group, me = access.require_member(group_id, _actor())
    now = utcnow()
    item = threads.thread_of(group, thread_id)
    return render_template("groups/thread.html", **_thread_context(group, me, item, now))


@bp.get("/<int:group_id>/themen/<thread_id>/beitraege")
@login_required
def thread_posts(group_id: int, thread_id: str):
    """The posts of a thread as an HTML fragment (the live page fetches it after a change)."""
    group, me = access.require_member(group_id, _actor())
    now = utcnow()
    item = threads.thread_of(group, thread_id)
    return render_template("groups/_posts.html", **_thread_context(group, me, item, now))


@bp.post("/<int:group_id>/themen/<thread_id>/antworten")
@login_required
def reply(group_id: int, thread_id: str):
    group, me = access.require_member(group_id, _actor())
    now = utcnow()
    item = threads.thread_of(group, thread_id)
    form = ReplyForm()
    error = None
    if form.validate_on_submit():
        try:
            threads.reply(group, item, me, form.body.data, now=now)
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            return redirect(
                url_for("groups.thread", group_id=group.id, thread_id=item.public_id) + "#antworten"
            )
    else:
        error = _("Bitte schreiben Sie eine Antwort.")
    context = _thread_context(group, me, item, now, form=form, error=error)
    return render_template("groups/thread.html", **context), 422


def _post(group_id: int, post_id: str):
    group, me = access.require_member(group_id, _actor())
    now = utcnow()
    return group, me, threads.post_of(group, post_id, now), now


def _back(group, post) -> str:
    thread = db.session.get(threads.Thread, post.thread_id)
    if thread is None:
        return url_for("groups.show", group_id=group.id)
    return url_for("groups.thread", group_id=group.id, thread_id=thread.public_id)


@bp.route("/<int:group_id>/beitraege/<post_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_post(group_id: int, post_id: str):
    group, me, post, now = _post(group_id, post_id)
    if post.membership_id != me.id:
        abort(404)
    if not threads.may_change(post, me, now):
        flash(_("Eigene Beiträge lassen sich nur 15 Minuten lang ändern."), "error")
        return redirect(_back(group, post))
    form = EditForm(data={"body": post.body} if request.method == "GET" else None)
    error = None
    if form.validate_on_submit():
        back = _back(group, post)
        try:
            threads.edit(group, post, me, form.body.data, now=now)
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Ihr Beitrag ist geändert."), "success")
            return redirect(back)
    elif request.method == "POST":
        error = _("Bitte schreiben Sie einen Beitrag.")
    return render_template(
        "groups/edit.html", group=group, post=post, form=form, error=error, back=_back(group, post)
    ), (422 if error else 200)


@bp.post("/<int:group_id>/beitraege/<post_id>/loeschen")
@login_required
def delete_post(group_id: int, post_id: str):
    group, me, post, now = _post(group_id, post_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = _back(group, post)
    threads.delete_own(group, post, me, now=now)
    db.session.commit()
    flash(_("Ihr Beitrag ist gelöscht."), "success")
    return redirect(
        back
        if db.session.get(threads.Thread, post.thread_id)
        else url_for("groups.show", group_id=group.id)
    )


@bp.post("/<int:group_id>/beitraege/<post_id>/entfernen")
@login_required
def remove_post(group_id: int, post_id: str):
    group, _me = access.require_owner(group_id, _actor())
    post = threads.post_of(group, post_id, utcnow())
    if not EmptyForm().validate_on_submit():
        abort(400)
    thread_id = post.thread_id
    threads.remove(group, post)
    db.session.commit()
    flash(_("Der Beitrag ist entfernt."), "success")
    remaining = db.session.get(threads.Thread, thread_id)
    if remaining is None:
        return redirect(url_for("groups.show", group_id=group.id))
    return redirect(url_for("groups.thread", group_id=group.id, thread_id=remaining.public_id))


@bp.post("/<int:group_id>/beitraege/<post_id>/melden")
@login_required
def report_post(group_id: int, post_id: str):
    group, me, post, now = _post(group_id, post_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = _back(group, post)
    threads.report(post, me, now=now)
    db.session.commit()
    flash(
        _("Danke. Die Verantwortlichen der Gruppe sehen die Meldung, aber nicht, von wem."),
        "success",
    )
    return redirect(back)


@bp.route("/<int:group_id>/notizen", methods=["GET", "POST"])
@login_required
def notes(group_id: int):
    group, me = access.require_member(group_id, _actor())
    current = threads.note(group)
    form = NoteForm(
        data={"body": current.body if current else "", "version": current.version if current else 0}
        if request.method == "GET"
        else None
    )
    error = None
    if form.validate_on_submit():
        try:
            seen = int(form.version.data or 0)
        except ValueError:
            seen = -1
        try:
            threads.save_note(group, me, form.body.data, seen_version=seen, now=utcnow())
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(_("Die Notizen sind gespeichert."), "success")
            return redirect(url_for("groups.notes", group_id=group.id))
    elif request.method == "POST":
        error = _("Das Formular ist ungültig. Bitte laden Sie die Seite neu.")
    return render_template(
        "groups/notes.html",
        group=group,
        form=form,
        note=current,
        author=threads.note_author(current),
        error=error,
    ), (422 if error else 200)
