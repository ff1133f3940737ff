"""Materials of an impulse: the organizer's page (upload, link, delete) and the download."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from peerlab.core.actions import attempt
from peerlab.core.clock import utcnow
from peerlab.core.errors import DomainError, InvalidInput, NotFound
from peerlab.core.forms import EmptyForm
from peerlab.core.uploads import TYPES
from peerlab.extensions import db
from peerlab.impulses import access
from peerlab.impulses.forms_ops import MaterialFileForm, MaterialLinkForm
from peerlab.impulses.service import materials

bp = Blueprint("impulse_materials", __name__, url_prefix="/impulse")
UPLOAD_ENDPOINT = "impulse_materials.upload"
# the file plus the other form fields: a file above LIMIT still reaches the service's message
REQUEST_LIMIT = materials.LIMIT + 256 * 1024


def _user():
    return current_user if current_user.is_authenticated else None


def _page(impulse, file_form=None, link_form=None, status: int = 200):
    rows = materials.listing(impulse, current_user, utcnow())
    return (
        render_template(
            "impulses/materials.html",
            impulse=impulse,
            rows=rows,
            file_form=file_form or MaterialFileForm(),
            link_form=link_form or MaterialLinkForm(),
            limit_mb=materials.LIMIT // (1024 * 1024),
            limit_bytes=materials.LIMIT,
            type_label=materials.type_label,
        ),
        status,
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_err):
    """A file above the route's limit: the page again with a clear message, nothing stored."""
    from peerlab.security import error_page

    impulse_id = (request.view_args or {}).get("impulse_id")
    try:
        impulse = access.impulse_for_organizer(int(impulse_id), current_user)
    except (DomainError, TypeError, ValueError):
        return error_page(413, materials.too_big_message())
    file_form = MaterialFileForm(formdata=None)
    file_form.datei.errors = [materials.too_big_message()]
    return _page(
        impulse, file_form=file_form, link_form=MaterialLinkForm(formdata=None), status=413
    )


def _store(impulse, store: Callable[[], object], message: str, field, **forms):
    """Store one material through `store`; refused, the page again with the message at
    `field` of the form in `forms` (file_form= or link_form=), nothing stored."""
    stored = attempt(store, catch=InvalidInput)
    if not stored.ok:
        field.errors = [stored.message]
        return _page(impulse, **forms, status=400)
    flash(message, "success")
    return redirect(url_for("impulse_materials.page", impulse_id=impulse.id))


@bp.get("/termin/<int:impulse_id>/material")
@login_required
def page(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    return _page(impulse)


@bp.post("/termin/<int:impulse_id>/material/datei")
@login_required
def upload(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    form = MaterialFileForm()
    if not form.validate_on_submit():
        return _page(impulse, file_form=form, status=400)
    upload_file = request.files.get("datei")
    if upload_file is None or not upload_file.filename:
        form.datei.errors = [_("Bitte wählen Sie eine Datei aus.")]
        return _page(impulse, file_form=form, status=400)
    data = upload_file.stream.read(materials.LIMIT + 1)
    return _store(
        impulse,
        lambda: materials.add_file(
            impulse,
            title=form.file_title.data or "",
            filename=upload_file.filename,
            data=data,
            actor=current_user,
            now=utcnow(),
        ),
        _("Die Datei ist gespeichert."),
        form.datei,
        file_form=form,
    )


@bp.post("/termin/<int:impulse_id>/material/link")
@login_required
def add_link(impulse_id: int):
    impulse = access.impulse_for_organizer(impulse_id, current_user)
    form = MaterialLinkForm()
    if not form.validate_on_submit():
        return _page(impulse, link_form=form, status=400)
    return _store(
        impulse,
        lambda: materials.add_link(
            impulse,
            title=form.link_title.data or "",
            url=form.url.data or "",
            actor=current_user,
            now=utcnow(),
        ),
        _("Der Link ist gespeichert."),
        form.url,
        link_form=form,
    )


@bp.post("/material/<int:material_id>/loeschen")
@login_required
def delete(material_id: int):
    material = materials.for_organizer(material_id, current_user)
    if not EmptyForm().validate_on_submit():
        raise InvalidInput()
    impulse_id = material.impulse_id
    materials.delete(material, actor=current_user)
    db.session.commit()
    flash(_("Das Material ist gelöscht."), "success")
    return redirect(url_for("impulse_materials.page", impulse_id=impulse_id))


@bp.get("/material/<int:material_id>")
def download(material_id: int):
    """A file as attachment under its cleaned name, only for people who may see the date's
    materials (404 for everyone else; links are shown as links)."""
    material = materials.for_download(material_id, _user(), utcnow())
    if material.kind != "file":
        raise NotFound()
    path = materials.path_of(material)
    if not path.is_file():
        raise InvalidInput(_("Die Datei ist nicht mehr vorhanden."))
    response = send_file(
        path,
        mimetype=TYPES[material.file_type].mimetype,
        as_attachment=True,
        download_name=material.download_name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
