"""Mail: outbox, SMTP sender with retries, and the demo mailbox when no SMTP is configured."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from peerlab.core import activity, due, retention, subjects
    from peerlab.notify import devmail, digest, digest_routes, routes, sender

    devmail.check(app.config)  # PEERLAB_DEV_MAIL=console never starts in a production setup
    from peerlab.notify.models import OutboxMail

    due.register("mail.send", sender.send_due)
    retention.register("notify.sent_mails", sender.purge_sent)  # 30 days, then for real
    # The daily digest "Neues in peerlab": activity of any format becomes one mail a day.
    activity.listen("notify.digest", digest.on_activity)
    due.register_kind(digest.DUE_KIND, digest.send_digest)
    registry.blueprint(digest_routes.bp)
    app.add_template_global(digest_routes.form_for, "digest_form")
    registry.exporter("notify.digest", digest.export_user)
    registry.eraser("notify.digest", digest.erase_user)
    # A deleted subject's queued mails are dropped; sent ones stay until the purge, without
    # a reference that could point at a later subject with the same id.
    subjects.register_reference(
        "notify.queued_mails",
        OutboxMail,
        "about_kind",
        "about_id",
        only=lambda: OutboxMail.sent_at.is_(None),
    )
    subjects.register_action("notify.sent_mails", ("outbox",), sender.forget_subject)
    if not app.config.get("SMTP_HOST"):
        registry.blueprint(routes.bp)
    app.extensions["peerlab.demo_mailbox"] = not app.config.get("SMTP_HOST")
