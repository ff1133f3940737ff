"""Domain errors. Entry points turn them into 4xx pages or socket acknowledgements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A rule was broken; nothing was changed. `code` is stable, `message` is for people."""

    code = "invalid"
    status = 400
    default_message = _l("Die Aktion ist nicht möglich.")

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        super().__init__(message or str(self.default_message))
        if code:
            self.code = code
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message or self.default_message)


class InvalidInput(DomainError):
    code = "invalid_input"
    default_message = _l("Die Eingabe ist ungültig.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _l("Nicht gefunden.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = _l("Dafür fehlt Ihnen die Berechtigung.")


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401
    default_message = _l("Bitte melden Sie sich an.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _l("Das ist gerade nicht möglich.")


class WrongPhase(Conflict):
    code = "wrong_phase"
    default_message = _l("Das ist in dieser Phase nicht möglich.")


class BudgetExhausted(Conflict):
    code = "budget_exhausted"
    default_message = _l("Sie haben keine Punkte mehr übrig.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _l("Zu viele Versuche. Bitte warten Sie einen Moment.")
