"""Calendar pages: .ics downloads, personal and series feeds, the Kalender page, answers."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from peerlab.core import joining
from peerlab.core.clock import utcnow
from peerlab.core.errors import InvalidInput, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.core.urls import absolute
from peerlab.extensions import db
from peerlab.i18n import safe_next
from peerlab.ical import feeds, invitations, overview, service, urls
from peerlab.ical.mails import ANSWERS, recurrence_text, when_text

bp = Blueprint("ical", __name__, url_prefix="/kalender")

CALENDAR_TYPE = "text/calendar; charset=utf-8"
NEXT_DATES = 10  # how many coming dates the Kalender page lists


def download_url(kind: str, subject_id: int) -> str:
    """The link for "In meinen Kalender" of one date."""
    return url_for("ical.download", kind=kind, subject_id=subject_id)


def responses_html(kind: str, subject_id: int) -> Markup:
    """The organizer's view of one date (who was invited, who answered how) as HTML, for a
    format's organizer page; the format checks that the viewer organizes the date."""
    html = render_template("ical/_responses.html", summary=overview.summary(kind, subject_id))
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def _calendar_response(body: bytes, *, filename: str, cache: bool) -> Response:
    return _respond(service.etag(body), lambda: body, filename=filename, cache=cache)


def _feed_response(feed: feeds.Feed, *, filename: str) -> Response:
    """A feed: an unchanged one answers 304 from its fingerprint, without being rendered; without
    If-None-Match it is rendered only if it changed since this process last rendered it."""
    return _respond(feed.tag, feed.body, filename=filename, cache=True)


def _respond(tag: str, render, *, filename: str, cache: bool) -> Response:
    if cache and request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        body = render()
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Type"] = CALENDAR_TYPE
        # A feed is read by calendar apps; a single date is a file to open ("In meinen Kalender").
        disposition = "inline" if cache else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(tag)
    # Calendars revalidate with If-None-Match; nothing may be kept by shared caches.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# for a format's own feed route (a public series feed without token): the same headers and ETag
calendar_response = _calendar_response


@bp.get("/<string:kind>/<int:subject_id>.ics")
@login_required
def download(kind: str, subject_id: int):
    try:
        _event, body = service.download(kind, subject_id, current_user, utcnow())
    except NotFound:
        abort(404)
    return _calendar_response(
        body, filename=f"{kind.replace('.', '-')}-{subject_id}.ics", cache=False
    )


@bp.get("/feed/<string:token>.ics")
def feed(token: str):
    user = service.user_by_feed_token(token)
    feed = feeds.personal_feed_of(user, utcnow(), name=_feed_name(user))
    return _feed_response(feed, filename="peerlab.ics")


@bp.get("/reihe/<string:series_kind>/<int:series_id>/<string:token>.ics")
def series_feed(series_kind: str, series_id: int, token: str):
    # Its own token per person and series: a shared series link never opens the personal feed.
    user = service.user_by_series_feed_token(series_kind, series_id, token)
    feed = feeds.series_feed_of(series_kind, series_id, user, utcnow())
    return _feed_response(feed, filename=f"reihe-{series_id}.ics")


def _feed_name(user) -> str:
    return "peerlab – My dates" if user.language == "en" else "peerlab – Meine Termine"


def feed_links(user) -> dict[str, str] | None:
    """https and webcal links of the user's personal feed, or None before it is created."""
    token = service.feed_token(user)
    if token is None:
        return None
    https = absolute("ical.feed", token=token)
    return {"https": https, "webcal": urls.webcal(https)}


def series_feed_links(series_kind: str, series_id: int, user) -> dict[str, str] | None:
    """Links for a series feed (formats show them on the series page, with buttons posting to
    `ical.series_feed_new` / `ical.series_feed_revoke`); None before its token is created."""
    token = service.series_feed_token(user, series_kind, series_id)
    if token is None:
        return None
    https = absolute("ical.series_feed", series_kind=series_kind, series_id=series_id, token=token)
    return {"https": https, "webcal": urls.webcal(https)}


@bp.get("/")
@login_required
def settings():
    now = utcnow()
    return render_template(
        "ical/settings.html",
        links=feed_links(current_user),
        next_dates=overview.next_dates(current_user, now, limit=NEXT_DATES),
        invitations=overview.own_invitations(current_user, now),
        form=EmptyForm(),
    )


@bp.post("/feed/neu")
@login_required
def regenerate():
    form = EmptyForm()
    if not form.validate_on_submit():
        raise InvalidInput()
    had_feed = service.feed_token(current_user) is not None
    service.regenerate_feed_token(current_user, utcnow())
    db.session.commit()
    if had_feed:
        flash(
            _("Ein neuer Abo-Link ist erstellt. Der bisherige Link funktioniert nicht mehr."),
            "success",
        )
    else:
        flash(_("Ihr Abo-Link ist erstellt."), "success")
    return redirect(url_for("ical.settings"))


@bp.post("/feed/loeschen")
@login_required
def revoke():
    form = EmptyForm()
    if not form.validate_on_submit():
        raise InvalidInput()
    service.revoke_feed_token(current_user)
    db.session.commit()
    flash(_("Ihr Abo-Link ist gelöscht."), "success")
    return redirect(url_for("ical.settings"))


@bp.post("/reihe/<string:series_kind>/<int:series_id>/neu")
@login_required
def series_feed_new(series_kind: str, series_id: int):
    """Create (or renew) the user's link for one series feed; back to the series page."""
    form = EmptyForm()
    if not form.validate_on_submit():
        raise InvalidInput()
    service.regenerate_series_feed_token(current_user, series_kind, series_id, utcnow())
    db.session.commit()
    flash(_("Der Abo-Link dieser Reihe ist erstellt."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("ical.settings")))


@bp.post("/reihe/<string:series_kind>/<int:series_id>/loeschen")
@login_required
def series_feed_revoke(series_kind: str, series_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        raise InvalidInput()
    service.revoke_series_feed_token(current_user, series_kind, series_id)
    db.session.commit()
    flash(_("Der Abo-Link dieser Reihe ist gelöscht."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("ical.settings")))


# --- invitations ----------------------------------------------------------------------------


def _event_or_none(invitation):
    try:
        return service.current_event(invitation.kind, invitation.subject_id)
    except NotFound:
        return None


def _invitation_page(inv, action: str, chosen: str | None):
    event = _event_or_none(inv)
    viewer = current_user if current_user.is_authenticated else inv.user
    language = str(get_locale() or "de")
    return render_template(
        "ical/invitation.html",
        invitation=inv,
        event=event,
        join_url=joining.join_url(inv.kind, inv.subject_id, viewer, utcnow()) if event else None,
        when=when_text(event.starts_at, event.ends_at, tz=viewer.timezone, language=language)
        if event
        else "",
        recurrence=recurrence_text(event, language=language) if event else "",
        form=EmptyForm(),
        action=action,
        chosen=chosen if chosen in ANSWERS else None,
        closed=invitations.closed_reason(inv, utcnow()),
    )


def _partstat_from_form() -> str:
    partstat = ANSWERS.get(request.form.get("antwort", ""))
    if partstat is None:
        raise InvalidInput(_("Bitte wählen Sie eine Antwort."))
    return partstat


@bp.route("/einladung/<int:invitation_id>", methods=["GET", "POST"])
@login_required
def invitation(invitation_id: int):
    inv = invitations.own_invitation(invitation_id, current_user)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            raise InvalidInput()
        invitations.respond(inv, _partstat_from_form(), now=utcnow())
        db.session.commit()
        flash(_("Ihre Antwort ist gespeichert."), "success")
        return redirect(url_for("ical.invitation", invitation_id=inv.id))
    return _invitation_page(
        inv, url_for("ical.invitation", invitation_id=inv.id), request.args.get("antwort")
    )


@bp.route("/antwort/<string:token>", methods=["GET", "POST"])
def answer(token: str):
    """Signed one-click link from the mail: GET only shows a confirm button (mail scanners open
    links), POST records the answer. No sign-in needed: the link is the permission."""
    inv = invitations.by_answer_token(token)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            raise InvalidInput()
        invitations.respond(inv, _partstat_from_form(), now=utcnow())
        db.session.commit()
        flash(_("Ihre Antwort ist gespeichert."), "success")
        return redirect(url_for("ical.answer", token=token))
    return _invitation_page(inv, url_for("ical.answer", token=token), request.args.get("antwort"))
