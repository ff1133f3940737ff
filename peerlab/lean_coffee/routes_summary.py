"""A round's summary: the page, its Markdown and PDF copies, the mail, the follow-up round.
A round of a confidential group has the page only (inside the group): the copies that would
leave peerlab answer 404 (`summary.page_only`)."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from peerlab.accounts.actors import current_actor
from peerlab.core import pdf
from peerlab.core.clock import utcnow
from peerlab.core.errors import NotFound
from peerlab.core.forms import EmptyForm
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.lean_coffee import export, summary_pdf
from peerlab.lean_coffee.models import FACILITATING
from peerlab.lean_coffee.routes import (
    _delete_url,
    _facilitating_user,
    _group_page,
    _round_and_participant,
    bp,
)
from peerlab.lean_coffee.service import mailing
from peerlab.lean_coffee.service import summary as summary_service


def _summary_context(round_id: int):
    if current_actor() is None:
        return None
    rnd, me = _round_and_participant(round_id)
    return rnd, me, summary_service.build(rnd, now=utcnow())


@bp.get("/runden/<int:round_id>/zusammenfassung")
def summary(round_id: int):
    ctx = _summary_context(round_id)
    if ctx is None:
        return redirect(url_for("accounts.login", next=request.path))
    rnd, me, result = ctx
    is_fac = me.role in FACILITATING and me.user_id is not None
    return render_template(
        "lean_coffee/summary.html",
        rnd=rnd,
        summary=result,
        print_view=request.args.get("druck") == "1",
        is_facilitator=is_fac,
        mail_form=EmptyForm(),
        delete_url=None if request.args.get("druck") == "1" else _delete_url(rnd),
        pdf_available=summary_pdf.available(rnd),
        page_only=summary_service.page_only(rnd),
        group_url=_group_page(rnd),
    )


@bp.get("/runden/<int:round_id>/zusammenfassung.md")
def summary_markdown(round_id: int):
    ctx = _summary_context(round_id)
    if ctx is None:
        return redirect(url_for("accounts.login", next=request.path))
    rnd, _me, result = ctx
    if summary_service.page_only(rnd):  # a group's round: the page in the group is the copy
        raise NotFound()
    body = export.to_markdown(result)
    return Response(
        body,
        # content_type is taken as given; a mimetype gets Werkzeug's charset added a second time
        content_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="lean-coffee-{rnd.id}.md"'},
    )


@bp.get("/runden/<int:round_id>/zusammenfassung.pdf")
def summary_as_pdf(round_id: int):
    ctx = _summary_context(round_id)
    if ctx is None:
        return redirect(url_for("accounts.login", next=request.path))
    rnd, _me, result = ctx
    if not summary_pdf.available(rnd):
        raise NotFound()
    doc = summary_pdf.to_document(
        result,
        lang=str(get_locale() or "de"),
        page_url=absolute("lean_coffee.summary", round_id=rnd.id),
    )
    body = pdf.render_pdf(doc, async_mode=current_app.config["SOCKETIO_ASYNC_MODE"])
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": pdf.download_disposition(summary_pdf.filename(result)),
            "Cache-Control": "private, no-store",
        },
    )


@bp.post("/runden/<int:round_id>/zusammenfassung/senden")
def mail_summary(round_id: int):
    rnd, _me = _facilitating_user(round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = mailing.mail_summary(rnd, now=utcnow())
    db.session.commit()
    flash(_("Die Zusammenfassung geht an %(n)d Teilnehmende.", n=count), "success")
    return redirect(url_for("lean_coffee.summary", round_id=rnd.id))


@bp.post("/runden/<int:round_id>/folgerunde")
def follow_up(round_id: int):
    rnd, _me = _facilitating_user(round_id)
    if rnd.group_id is not None:  # its open topics stay in the group
        raise NotFound()
    if not EmptyForm().validate_on_submit():
        abort(400)
    return redirect(url_for("lean_coffee.create_round", nach=rnd.id))
