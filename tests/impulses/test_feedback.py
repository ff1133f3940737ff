"""Anonymous feedback: who answered and what was answered cannot be linked; the window, the
threshold of 5, the organizer's pools; the form per role and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text

from peerlab.core.errors import Forbidden, InvalidInput
from peerlab.extensions import db
from peerlab.impulses.models import Impulse
from peerlab.impulses.models_people import FeedbackAnswer, FeedbackGiver
from peerlab.impulses.service import feedback, registrations
from tests.conftest import csrf_from
from tests.impulses.people_support import with_people

GIVERS, ANSWERS = "impulse_feedback_givers", "impulse_feedback_answers"


def test_the_two_tables_share_no_key_and_no_time(app):
    insp = inspect(db.engine)
    givers = {c["name"]: c for c in insp.get_columns(GIVERS)}
    answers = {c["name"]: c for c in insp.get_columns(ANSWERS)}
    assert set(givers) == {"impulse_id", "user_id"}
    assert set(answers) == {"id", "impulse_id", "rating", "comment"}
    # the only column in common is the date itself; no foreign key points from one to the other
    assert set(givers) & set(answers) == {"impulse_id"}
    for table in (GIVERS, ANSWERS):
        targets = {fk["referred_table"] for fk in insp.get_foreign_keys(table)}
        assert targets <= {"impulses", "users"}
    # no time of any kind on either table
    for column in [*givers.values(), *answers.values()]:
        assert "DATE" not in str(column["type"]).upper() and "TIME" not in str(column["type"])
    # answers have a random text id, no counter
    assert "CHAR" in str(answers["id"]["type"]).upper()


def test_insertion_order_links_nothing(app, make_user, now):
    cast = with_people(now, make_user, attendees=8)
    for n, person in enumerate(cast.attendees):
        feedback.give(cast.impulse, person, 1 + n % 5, f"Kommentar {n}", now=cast.after)
    db.session.commit()
    with db.engine.connect() as conn:
        for table in (GIVERS, ANSWERS):
            # stored without SQLite's hidden rowid: there is no arrival counter to read
            with pytest.raises(Exception, match="rowid"):
                conn.execute(text(f"SELECT rowid FROM {table}"))
        # the physical order is the key order: person ids, random answer ids
        physical_givers = [r[1] for r in conn.execute(text(f"SELECT * FROM {GIVERS}"))]
        physical_answers = [r[0] for r in conn.execute(text(f"SELECT * FROM {ANSWERS}"))]
    assert physical_givers == sorted(physical_givers)
    assert physical_answers == sorted(physical_answers)
    ids = db.session.scalars(select(FeedbackAnswer.id)).all()
    assert len(set(ids)) == 8 and all(len(i) == 32 for i in ids)
    # the comments came in order 0..7; the stored order is the random ids', not arrival
    comments = [r[3] for r in db.session.execute(text(f"SELECT * FROM {ANSWERS}"))]
    assert sorted(comments) == [f"Kommentar {n}" for n in range(8)]


def test_only_attendees_in_the_week_after_the_end(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    with pytest.raises(InvalidInput):  # before the end
        feedback.give(cast.impulse, anna, 4, "", now=cast.impulse.ends_at - timedelta(minutes=1))
    with pytest.raises(InvalidInput):  # after the week
        feedback.give(cast.impulse, anna, 4, "", now=cast.closed)
    with pytest.raises(Forbidden):  # registered, not attending
        feedback.give(cast.impulse, cast.absent, 4, "", now=cast.after)
    with pytest.raises(Forbidden):  # the organizer did not attend either
        feedback.give(cast.impulse, cast.orga, 4, "", now=cast.after)
    for bad in (0, 6, None, "5", True):
        with pytest.raises(InvalidInput):
            feedback.give(cast.impulse, anna, bad, "", now=cast.after)
    with pytest.raises(InvalidInput):
        feedback.give(cast.impulse, anna, 3, "x" * 1001, now=cast.after)
    with pytest.raises(InvalidInput):
        feedback.give(cast.impulse, anna, 3, "\u200b\u200b", now=cast.after)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAnswer)) == 0
    feedback.give(cast.impulse, anna, 3, "", now=cast.impulse.ends_at)
    with pytest.raises(InvalidInput):  # once per person
        feedback.give(cast.impulse, anna, 5, "", now=cast.after)
    db.session.rollback()


def test_a_second_answer_fails_in_the_database(app, make_user, now):
    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    feedback.give(cast.impulse, anna, 3, "", now=cast.after)
    db.session.commit()
    db.session.add(FeedbackGiver(impulse_id=cast.impulse.id, user_id=anna.id))
    with pytest.raises(Exception, match=r"UNIQUE|unique|PRIMARY"):
        db.session.flush()
    db.session.rollback()


def _answers(cast, ratings):
    for person, rating in zip(cast.attendees, ratings, strict=False):
        feedback.give(cast.impulse, person, rating, f"Gut {rating}", now=cast.after)
    db.session.commit()


def test_results_only_after_closing_and_with_five(app, make_user, now):
    cast = with_people(now, make_user, attendees=5)
    _answers(cast, [5, 4, 4, 2, 5])
    assert feedback.results(cast.impulse, now=cast.after).state == "open"
    shown = feedback.results(cast.impulse, now=cast.closed)
    assert shown.state == "shown"
    assert shown.summary.count == 5 and shown.summary.average == 4.0
    assert shown.summary.distribution == [0, 1, 0, 2, 2]
    assert sorted(shown.summary.comments) == sorted(f"Gut {r}" for r in [5, 4, 4, 2, 5])

    few = with_people(now, make_user, attendees=4)
    _answers(few, [1, 2, 3, 4])
    assert feedback.results(few.impulse, now=few.closed).state == "too_few"


def test_comments_come_in_random_order(app, make_user, now):
    cast = with_people(now, make_user, attendees=6)
    for n, person in enumerate(cast.attendees):
        feedback.give(cast.impulse, person, 3, f"Kommentar {n}", now=cast.after)
    db.session.commit()
    orders = {
        tuple(feedback.results(cast.impulse, now=cast.closed).summary.comments) for _ in range(30)
    }
    assert len(orders) > 1


def test_small_dates_are_pooled_for_the_organizer_in_fixed_pools(app, make_user, now):
    orga_cast = with_people(now, make_user, attendees=4, dates=3)
    series = orga_cast.series
    first, second, third = series.impulses
    people = orga_cast.attendees
    for impulse in (second, third):
        rows = [registrations.register(impulse, p, now=now) for p in people]
        registrations.set_attended(impulse, {r.id for r in rows}, actor=orga_cast.orga)
    db.session.commit()
    for impulse, n in ((first, 3), (second, 2), (third, 2)):
        for person in people[:n]:
            feedback.give(impulse, person, 4, "", now=impulse.ends_at + timedelta(hours=1))
    db.session.commit()
    after_second = second.ends_at + timedelta(days=7, minutes=1)
    view = feedback.for_series(series, now=after_second)
    assert [p.impulses for p in view.pools] == [[first, second]]
    assert view.pools[0].summary.count == 5
    assert {i.id: r.state for i, r in view.single}[first.id] == "too_few"
    # the third date alone stays hidden; the first pool does not grow (no difference to read)
    view = feedback.for_series(series, now=third.ends_at + timedelta(days=8))
    assert [p.impulses for p in view.pools] == [[first, second]]
    assert view.pending == [third]


def _page(client, impulse):
    return client.get(f"/impulse/termin/{impulse.id}/feedback")


def test_the_form_per_role(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=2)
    anna = cast.attendees[0]
    clock.set(cast.after)
    assert _page(client, cast.impulse).status_code in (302, 401)  # visitor
    login(client, cast.absent)
    assert _page(client, cast.impulse).status_code == 403  # registrant, not attending
    other = app.test_client()
    login(other, cast.orga)
    assert _page(other, cast.impulse).status_code == 403  # organizer
    me = app.test_client()
    login(me, anna)
    series_page = me.get(f"/impulse/{cast.series.id}").get_data(as_text=True)
    assert "Feedback geben" in series_page
    page = _page(me, cast.impulse)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "anonym" in html
    token = csrf_from(html)
    for bad in ({"rating": "9"}, {"rating": ""}, {"rating": "3", "comment": "x" * 1200}):
        resp = me.post(
            f"/impulse/termin/{cast.impulse.id}/feedback", data={**bad, "csrf_token": token}
        )
        assert resp.status_code == 200 and 'role="alert"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAnswer)) == 0
    resp = me.post(
        f"/impulse/termin/{cast.impulse.id}/feedback",
        data={"rating": "4", "comment": "Sehr konkret.", "csrf_token": token},
    )
    assert resp.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAnswer)) == 1
    assert "schon Feedback gegeben" in _page(me, cast.impulse).get_data(as_text=True)
    assert "Feedback geben" not in me.get(f"/impulse/{cast.series.id}").get_data(as_text=True)
    late = app.test_client()
    login(late, cast.attendees[1])
    clock.set(cast.closed)
    page = _page(late, cast.impulse).get_data(as_text=True)
    assert "7 Tagen" in page and "Feedback senden" not in page


def test_results_page_for_organizers_only(app, client, clock, make_user, login, now):
    cast = with_people(now, make_user, attendees=5)
    _answers(cast, [5, 5, 4, 3, 1])
    url = f"/impulse/{cast.series.id}/feedback"
    clock.set(cast.after)
    login(client, cast.orga)
    assert "läuft bis" in client.get(url).get_data(as_text=True)
    clock.set(cast.closed)
    html = client.get(url).get_data(as_text=True)
    assert "5 Antworten, Durchschnitt 3,6 von 5." in html and "Gut 1" in html
    for name in ("Teilnehmerin", "Abwesend"):
        assert name not in html
    admin = app.test_client()
    login(admin, make_user("admin"))
    assert admin.get(url).status_code == 200
    other = app.test_client()
    login(other, make_user("organizer"))
    assert other.get(url).status_code == 403
    member = app.test_client()
    login(member, cast.attendees[0])
    assert member.get(url).status_code == 403


def test_erasing_an_account_keeps_the_answer_and_forgets_the_giver(app, make_user, now):
    from peerlab.impulses import integration

    cast = with_people(now, make_user, attendees=1)
    anna = cast.attendees[0]
    feedback.give(cast.impulse, anna, 5, "", now=cast.after)
    db.session.commit()
    integration.erase_user(anna, keep_content=False, now=cast.after)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackGiver)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAnswer)) == 1
    assert db.session.get(Impulse, cast.impulse.id) is not None
