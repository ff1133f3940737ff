"""The `peerlab` command: run, scheduler, demo, backup, restore, plus Flask-Migrate's `db`."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    # The web server runs on gevent by default (measured in `make bench`, see README); gevent
    # must patch the standard library before anything else is imported.
    mode = os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")
    if mode == "gevent" and sys.argv[1:2] == ["run"]:
        from gevent import monkey

        monkey.patch_all()
    from flask.cli import FlaskGroup

    from peerlab import create_app

    cli = FlaskGroup(
        create_app=lambda: create_app(),
        add_default_commands=False,
        add_version_option=False,
        set_debug_flag=False,
        load_dotenv=False,
        help="peerlab: digital peer learning for municipal leaders",
    )
    cli.main(prog_name="peerlab")


def init_app(app) -> None:
    import click
    from flask.cli import with_appcontext

    @app.cli.command("run")
    @click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"))
    @click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int)
    @with_appcontext
    def run_command(host: str, port: int) -> None:
        """Serve web and Socket.IO (and the jobs, unless SCHEDULER=external)."""
        from flask import current_app

        from peerlab import scheduler
        from peerlab.extensions import socketio

        app_obj = current_app._get_current_object()
        # Flask refuses app.run() inside its CLI; this command is the server, so allow it.
        os.environ.pop("FLASK_RUN_FROM_CLI", None)
        scheduler.start_in_process(app_obj)
        click.echo(f"peerlab läuft auf http://{host}:{port}/  (Strg+C beendet)")
        socketio.run(
            app_obj,
            host=host,
            port=port,
            allow_unsafe_werkzeug=True,
            use_reloader=False,
            log_output=False,
        )

    @app.cli.command("scheduler")
    @with_appcontext
    def scheduler_command() -> None:
        """Run the single scheduler process (set SCHEDULER=external on web processes)."""
        from flask import current_app

        from peerlab import scheduler

        scheduler.run_blocking(current_app._get_current_object())

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
    @click.option("--reset", is_flag=True, help="Delete ALL data, then load the demo data.")
    @click.option("--yes", is_flag=True, help="Do not ask before --reset deletes everything.")
    @with_appcontext
    def demo_command(if_empty: bool, reset: bool, yes: bool) -> None:
        """Load realistic German demo data for every format."""
        from peerlab import demo

        if reset:
            if not yes:
                click.confirm(
                    "Alle Daten dieser Datenbank löschen und Demo-Daten laden?", abort=True
                )
            demo.reset()
            click.echo("Die Demo-Daten sind neu geladen.")
            demo.print_logins(click.echo)
            return
        created = demo.load(only_if_empty=if_empty)
        if created:
            demo.print_logins(click.echo)
        else:
            click.echo("Demo-Daten sind bereits vorhanden.")
            demo.print_logins(click.echo)

    @app.cli.command("backup")
    @click.argument("target_dir", type=click.Path(file_okay=False, path_type=Path))
    @click.option(
        "--keep-days",
        default=14,
        show_default=True,
        type=int,
        help="Eigene Sicherungen in TARGET_DIR, die älter sind, werden gelöscht.",
    )
    @with_appcontext
    def backup_command(target_dir: Path, keep_days: int) -> None:
        """Back up the SQLite database while peerlab runs (PostgreSQL: pg_dump)."""
        from flask import current_app

        from peerlab import backup
        from peerlab.core.clock import utcnow

        try:
            result = backup.backup(
                current_app.config["SQLALCHEMY_DATABASE_URI"],
                target_dir,
                now=utcnow(),
                keep_days=keep_days,
            )
        except backup.BackupError as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"Gesichert: {result.path} ({result.size} Bytes, geprüft)")
        for path in result.removed:
            click.echo(f"Gelöscht (älter als {keep_days} Tage): {path}")

    @app.cli.command("restore")
    @click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
    @with_appcontext
    def restore_command(backup_file: Path) -> None:
        """Restore a SQLite backup into a fresh instance (never over an existing database)."""
        from flask import current_app

        from peerlab import backup
        from peerlab.extensions import db

        db.engine.dispose()  # no connection of ours may create the file first
        try:
            target = backup.restore(backup_file, current_app.config["SQLALCHEMY_DATABASE_URI"])
        except backup.BackupError as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"Eingespielt: {target}. Danach: peerlab db upgrade, dann starten.")
