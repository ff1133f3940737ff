"""Impulse pages: series list and page, organizer forms, registrations, participants, CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from peerlab.core.actions import Next, attempt, run_or_flash
from peerlab.core.clock import utcnow
from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.core.forms import EmptyForm
from peerlab.extensions import db
from peerlab.impulses import access, export
from peerlab.impulses.forms import ImpulseForm, RuleForm, SeriesForm, parse_days
from peerlab.impulses.models import Impulse, Series
from peerlab.impulses.service import people, registrations, schedule
from peerlab.impulses.service import series as series_service

bp = Blueprint("impulses", __name__, url_prefix="/impulse")
BERLIN = ZoneInfo("Europe/Berlin")


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/")
def index():
    now = utcnow()
    rows = db.session.scalars(
        access.visible(
            select(Series)
            .options(selectinload(Series.impulses))  # the dates of all series in one query
            .order_by(Series.created_at.desc()),
            _user(),
        )
    ).all()
    upcoming = {
        s.id: [i for i in s.impulses if i.cancelled_at is None and i.ends_at > now] for s in rows
    }
    return render_template(
        "impulses/index.html",
        rows=rows,
        upcoming=upcoming,
        may_create=access.may_create(_user()),
    )


def _settings(form: SeriesForm) -> series_service.SeriesSettings:
    return series_service.SeriesSettings(
        title=form.title.data or "",
        description=form.description.data or "",
        audience=form.audience.data,
        default_minutes=form.default_minutes.data,
        video_url=form.video_url.data or "",
        capacity=form.capacity.data,
        deadline_hours=form.deadline_hours.data or 0,
    )


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def new_series():
    if not access.may_create(current_user):
        raise Forbidden()
    form = SeriesForm()
    if form.validate_on_submit():
        made = attempt(
            lambda: series_service.create_series(_settings(form), actor=current_user, now=utcnow()),
            catch=InvalidInput,
        )
        if made.ok:
            flash(_("Die Reihe ist angelegt. Fügen Sie jetzt Termine hinzu."), "success")
            return redirect(url_for("impulses.generate", series_id=made.value.id))
        form.title.errors = [made.message]
    return render_template("impulses/series_form.html", form=form, series=None)


@bp.route("/<int:series_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_series(series_id: int):
    series = access.series_for_organizer(series_id, current_user)
    form = SeriesForm(obj=series)
    if form.validate_on_submit():
        saved = attempt(
            lambda: series_service.update_series(
                series, _settings(form), actor=current_user, now=utcnow()
            ),
            catch=InvalidInput,
        )
        if saved.ok:
            flash(_("Gespeichert."), "success")
            return redirect(url_for("impulses.show_series", series_id=series.id))
        form.capacity.errors = [saved.message]
    return render_template("impulses/series_form.html", form=form, series=series)


@bp.get("/<int:series_id>")
def show_series(series_id: int):
    user = _user()
    series = access.series_for_view(series_id, user)
    now = utcnow()
    mine = registrations.mine_in_series(series, user) if user is not None else {}
    taken = {i for i, row in mine.items() if row.status != "cancelled"}
    active = [row for row in mine.values() if row.status != "cancelled"]
    open_left = [i for i in series.impulses if registrations.is_open(i, now) and i.id not in taken]
    return render_template(
        "impulses/series.html",
        series=series,
        open_left=open_left,
        reminders=(
            {"tag": any(r.remind_24h for r in active), "stunde": any(r.remind_1h for r in active)}
            if active
            else None
        ),
        impulses=series.impulses,
        mine=mine,
        now=now,
        is_open=lambda i: registrations.is_open(i, now),
        organizes=access.organizes(series, user),
        form=EmptyForm(),
        people=people.for_series(series, user, now),
    )


def _day_time(day, at) -> datetime:
    return schedule.local_to_utc(day, at)


@bp.route("/<int:series_id>/regel", methods=["GET", "POST"])
@login_required
def generate(series_id: int):
    series = access.series_for_organizer(series_id, current_user)
    form = RuleForm()
    if form.validate_on_submit():
        freq = form.frequency.data

        def add_dates() -> list[Impulse]:
            rule = schedule.Rule(
                first=form.first.data,
                at=form.start_time.data,
                count=form.count.data,
                frequency="monthly" if freq.startswith("m") else "weekly",
                interval=1 if freq.startswith("m") else int(freq),
                nth=int(freq[1:]) if freq.startswith("m") else 1,
                skip=parse_days(form.skip.data or ""),
            )
            items = [
                series_service.ImpulseSettings(
                    title=form.title.data, starts_at=at, minutes=series.default_minutes
                )
                for at in schedule.expand(rule)
            ]
            return series_service.add_impulses(series, items, actor=current_user, now=utcnow())

        made = attempt(add_dates, catch=InvalidInput)
        if made.ok:
            flash(_("%(count)s Termine angelegt.", count=len(made.value)), "success")
            return redirect(url_for("impulses.show_series", series_id=series.id))
        form.first.errors = [made.message]
    return render_template("impulses/rule_form.html", form=form, series=series)


@bp.route("/<int:series_id>/termin-neu", methods=["GET", "POST"])
@login_required
def add_impulse(series_id: int):
    series = access.series_for_organizer(series_id, current_user)
    form = ImpulseForm(minutes=series.default_minutes)
    if form.validate_on_submit():
        made = attempt(
            lambda: series_service.add_impulses(
                series, [_impulse_settings(form)], actor=current_user, now=utcnow()
            ),
            catch=InvalidInput,
        )
        if made.ok:
            flash(_("Der Termin ist angelegt."), "success")
            return redirect(url_for("impulses.show_series", series_id=series.id))
        form.day.errors = [made.message]
    return render_template("impulses/impulse_form.html", form=form, series=series, impulse=None)


def _impulse_settings(form: ImpulseForm) -> series_service.ImpulseSettings:
    return series_service.ImpulseSettings(
        title=form.title.data or "",
        speaker_name=form.speaker_name.data or "",
        abstract=form.abstract.data or "",
        starts_at=_day_time(form.day.data, form.start_time.data),
        minutes=form.minutes.data,
    )


@bp.route("/termin/<int:impulse_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_impulse(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    local = impulse.starts_at.astimezone(BERLIN)
    form = ImpulseForm(obj=impulse, day=local.date(), start_time=local.time())
    if form.validate_on_submit():
        saved = attempt(
            lambda: series_service.edit_impulse(
                impulse, _impulse_settings(form), actor=current_user, now=utcnow()
            ),
            catch=InvalidInput,
        )
        if saved.ok:
            flash(_("Gespeichert. Alle Angemeldeten bekommen die Änderung."), "success")
            return redirect(url_for("impulses.show_series", series_id=impulse.series_id))
        form.day.errors = [saved.message]
    return render_template(
        "impulses/impulse_form.html", form=form, series=impulse.series, impulse=impulse
    )


def _post(action: Callable[[], Next]) -> Response:
    """Run a button's action; a broken rule is a message on the page, nothing changed."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    return run_or_flash(
        action, back=request.referrer or url_for("impulses.index"), catch=InvalidInput
    )


@bp.post("/termin/<int:impulse_id>/absagen")
@login_required
def cancel_impulse(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)

    def act() -> Next:
        series_service.cancel_impulse(impulse, actor=current_user, now=utcnow())
        return Next(
            url_for("impulses.show_series", series_id=impulse.series_id),
            _("Der Termin ist abgesagt. Alle mit Platz bekommen eine Absage."),
        )

    return _post(act)


@bp.post("/<int:series_id>/absagen")
@login_required
def cancel_series(series_id: int):
    series = access.series_for_organizer(series_id, current_user)

    def act() -> Next:
        count = series_service.cancel_series(series, actor=current_user, now=utcnow())
        return Next(
            url_for("impulses.show_series", series_id=series.id),
            _("%(count)s Termine abgesagt.", count=count),
        )

    return _post(act)


@bp.post("/<int:series_id>/anmelden")
@login_required
def register_series(series_id: int):
    series = access.series_for_view(series_id, current_user)

    def act() -> Next:
        rows = registrations.register_series(series, current_user, now=utcnow())
        waiting = sum(1 for r in rows if r.status == "waiting")
        return Next(
            url_for("impulses.show_series", series_id=series.id),
            _(
                "Sie sind angemeldet. Bei %(count)s Terminen stehen Sie auf der Warteliste.",
                count=waiting,
            )
            if waiting
            else _("Sie sind für alle offenen Termine angemeldet."),
        )

    return _post(act)


@bp.post("/<int:series_id>/erinnerungen")
@login_required
def set_reminders(series_id: int):
    series = access.series_for_view(series_id, current_user)

    def act() -> Next:
        registrations.set_reminders(
            series,
            current_user,
            day_before=request.form.get("tag") == "1",
            hour_before=request.form.get("stunde") == "1",
        )
        return Next(
            url_for("impulses.show_series", series_id=series.id),
            _("Ihre Erinnerungen sind gespeichert."),
        )

    return _post(act)


@bp.post("/termin/<int:impulse_id>/anmelden")
@login_required
def register_impulse(impulse_id: int):
    impulse = access.impulse_for_view(impulse_id, current_user)

    def act() -> Next:
        row = registrations.register(impulse, current_user, now=utcnow())
        return Next(
            url_for("impulses.show_series", series_id=impulse.series_id),
            _("Ihr Platz ist bestätigt.")
            if row.status == "confirmed"
            else _("Der Termin ist voll. Sie stehen auf der Warteliste."),
        )

    return _post(act)


@bp.post("/termin/<int:impulse_id>/freigeben")
@login_required
def cancel_registration(impulse_id: int):
    impulse = access.impulse_for_view(impulse_id, current_user)

    def act() -> Next:
        registrations.cancel(impulse, current_user, now=utcnow())
        return Next(
            url_for("impulses.show_series", series_id=impulse.series_id),
            _("Ihr Platz für diesen Termin ist freigegeben."),
        )

    return _post(act)


@bp.route("/termin/<int:impulse_id>/teilnehmende", methods=["GET", "POST"])
@login_required
def participants(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        ticked = {int(v) for v in request.form.getlist("anwesend") if v.isdigit() and len(v) < 12}
        registrations.set_attended(impulse, ticked, actor=current_user)
        db.session.commit()
        flash(_("Anwesenheit gespeichert."), "success")
        return redirect(url_for("impulses.participants", impulse_id=impulse.id))
    confirmed, waiting = registrations.listing(impulse)
    free = None if impulse.capacity is None else impulse.capacity - impulse.confirmed_count
    return render_template(
        "impulses/participants.html",
        impulse=impulse,
        confirmed=confirmed,
        waiting=waiting,
        free=free,
        form=EmptyForm(),
    )


@bp.get("/termin/<int:impulse_id>/teilnehmende.csv")
@login_required
def participants_csv(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    confirmed, waiting = registrations.listing(impulse)
    body = export.participants_csv(impulse, confirmed, waiting)
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename(impulse)}"',
            "Cache-Control": "private, no-store",
        },
    )
