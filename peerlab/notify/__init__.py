"""Mail: outbox, SMTP sender with retries, and the demo mailbox when no SMTP is configured."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from peerlab.core import due, subjects
    from peerlab.notify import devmail, routes, sender

    devmail.check(app.config)  # PEERLAB_DEV_MAIL=console never starts in a production setup
    from peerlab.notify.models import OutboxMail

    due.register("mail.send", sender.send_due)
    due.register("mail.purge", sender.purge_old)
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
