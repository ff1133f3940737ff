"""Mail: outbox, SMTP sender with retries, and the demo mailbox when no SMTP is configured."""

from __future__ import annotations


def init_app(app, registry) -> None:
    from peerlab.core import due
    from peerlab.notify import routes, sender

    due.register("mail.send", sender.send_due)
    due.register("mail.purge", sender.purge_old)
    if not app.config.get("SMTP_HOST"):
        registry.blueprint(routes.bp)
    app.extensions["peerlab.demo_mailbox"] = not app.config.get("SMTP_HOST")
