"""`peerlab create-user`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


def init_app(app) -> None:
    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", default="")
    @click.option("--role", type=click.Choice(["admin", "organizer", "member"]), default="member")
    @click.option("--municipality", default="")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @with_appcontext
    def create_user_command(email, name, role, municipality, password) -> None:
        """Create an account with a password."""
        from peerlab.accounts import service
        from peerlab.core.clock import utcnow
        from peerlab.core.errors import DomainError
        from peerlab.extensions import db

        try:
            user = service.create_user(
                email=email,
                name=name,
                role=role,
                password=password,
                municipality=municipality,
                now=utcnow(),
            )
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(err.message) from err
        click.echo(f"Konto angelegt: {user.email} ({user.role})")
