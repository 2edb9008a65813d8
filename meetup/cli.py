"""The organisers' commands: import-talks, export-talks, reindex, check-data and migrate."""
from __future__ import annotations

import functools
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from .catalog.db import get_session
from .catalog.languages import LANGUAGES
from .catalog.formats import TalkFileError, load_talk_file, write_talks
from .catalog.models import Talk
from .catalog.quality import check_data
from .catalog.migrate import current_revision, head_revision, upgrade_schema
from .catalog.readback import all_events
from .catalog.store import ImportConflict, all_records, import_records
from .failures import explain
from .indexing.sync import Drift, bring_in_step, index_drift, rebuild_index
from .indexing.writer import writing_index
from .settings import settings
from .search import IndexBusy


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


PROGRESS_MIN = 2_000  # talks: below this an import or export is over before a bar would help


def one_line_errors(command):
    """Turn a failure an organiser can act on (database down, disk full, ...) into one line and exit 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except Exception as error:
            reason = explain(error, settings().index_dir)
            if reason is None:
                raise
            _fail(f"error: {reason}")

    return run


@click.command("import-talks")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--prune", is_flag=True, help="Also remove talks that are not in the file.")
@click.option("--yes", is_flag=True, help="Do not ask before removing talks (with --prune).")
@click.option("--skip-other-languages", is_flag=True,
              help="Leave out talks in languages other than English and Spanish instead of refusing the file.")
@click.option("--language", type=click.Choice(sorted(LANGUAGES)), default=None,
              help="The language of talks whose file gives none (else it is detected from title and abstract).")
@click.option("--skip-invalid", is_flag=True, help="Import the valid talks and list the others with their reasons.")
@one_line_errors
def import_talks_command(file: Path, dry_run: bool, prune: bool, yes: bool, skip_other_languages: bool,
                         language: str | None, skip_invalid: bool) -> None:
    """Add or update talks from a YAML, CSV, Schedule JSON/XML or PyVideo file or folder; all or nothing."""
    try:
        talk_file = load_talk_file(file, skip_other_languages=skip_other_languages, language=language,
                                   skip_invalid=skip_invalid)
    except TalkFileError as error:
        for problem in error.problems:
            click.echo(problem.describe(str(file)), err=True)
        _fail(f"{file}: {len(error.problems)} problem(s); nothing was imported.")
    _report_reading(talk_file, str(file), dry_run)
    records = talk_file.records
    notes = talk_file.notes()
    session = get_session()
    if dry_run or (prune and not yes):
        try:
            plan = import_records(session, records, events=talk_file.events, prune=prune, dry_run=True)
        except ImportConflict as error:
            _fail(f"{file}: {error}; nothing was imported.")
        if dry_run:
            click.echo(f"dry run: would make {plan.summary()} ({notes})")
            for label, slugs in (("add event", plan.events_added), ("update event", plan.events_updated),
                                 ("add", plan.added), ("update", plan.updated), ("remove", plan.pruned)):
                for slug in slugs:
                    click.echo(f"  would {label}: {slug}")
            return
        if plan.pruned:
            click.echo(f"--prune would remove {len(plan.pruned)} talk(s) absent from {file}:")
            for slug in plan.pruned:
                click.echo(f"  {slug}")
            if not click.confirm("Remove them?", default=False):
                _fail("Nothing was changed.")
    try:
        with _progress(len(records), "storing talks") as advance:
            report = import_records(session, records, events=talk_file.events, prune=prune, on_progress=advance)
    except ImportConflict as error:
        _fail(f"{file}: {error}; nothing was imported.")
    except SQLAlchemyError as error:
        _fail(f"{file}: nothing was imported: {explain(error, settings().index_dir)}")
    click.echo(f"{file}: {report.summary()} ({notes})")
    if report.changed:
        _update_index_after_import(Drift(missing=report.added, stale=report.updated, extra=report.pruned))


def _report_reading(talk_file, file: str, dry_run: bool) -> None:
    """Name what the reading left out or decided: invalid talks and unread files always, the rest in a dry run."""
    for problem in talk_file.invalid:
        click.echo(f"left out: {problem.describe(file)}", err=True)
    for place, reason in talk_file.unreadable:
        click.echo(f"not read: {file}: {place}: {reason}", err=True)
    for title, length in talk_file.cut:
        click.echo(f"abstract cut: {title}: {length:,} characters, cut at a paragraph or word", err=True)
    if not dry_run:
        return
    for title, code, how in talk_file.languages_set:
        click.echo(f"  language {'from --language' if how == 'given' else 'detected'}: {title}: {LANGUAGES[code]}")
    for slot in talk_file.skipped.slots:
        click.echo(f"  skipped slot: {slot}")
    for slot in talk_file.skipped.repeats:
        click.echo(f"  repeated slot read once: {slot}")


class _Echo:
    """A text stream onto standard output through click, which tests and pipes capture alike."""

    @staticmethod
    def write(text: str) -> None:
        click.echo(text, nl=False)


@contextmanager
def _progress(total: int, label: str):
    """Yield a callback taking the count done so far, drawing a bar on standard error for long runs."""
    if total < PROGRESS_MIN:
        yield lambda done: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda done: bar.update(done - bar.pos)


def _update_index_after_import(changes: Drift) -> None:
    """Bring the index in step after the database commit; a failure here loses no data."""
    try:
        with writing_index() as index:
            bring_in_step(get_session(), index, changes)
        click.echo("search index updated")
    except IndexBusy as error:
        # Another writer has the index: the node's follower brings it in step when it is done.
        click.echo(f"warning: {error}; the talks are stored: run `flask reindex` to bring search up to date", err=True)
    except Exception as error:
        reason = explain(error, settings().index_dir)
        if reason is None:
            raise
        _fail(f"error: the talks are stored, but the search index could not be updated: {reason}")


@click.command("export-talks")
@with_appcontext
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@one_line_errors
def export_talks_command(file: Path | None) -> None:
    """Write every talk to FILE (or standard output) in the YAML format import-talks reads."""
    session = get_session()
    if file is None:
        try:
            write_talks(all_records(session), _Echo(), events=all_events(session))
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`), which is no failure; Python's advice keeps the exit quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    total = session.scalar(select(func.count()).select_from(Talk)) or 0
    temporary = file.with_name(f".{file.name}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as stream, _progress(total, "exporting talks") as advance:
            count = write_talks(all_records(session), stream, on_progress=advance, events=all_events(session))
        temporary.replace(file)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        _fail(f"{file}: cannot write the export: {error.strerror or error}")
    click.echo(f"{file}: exported {count} talks", err=True)


@click.command("reindex")
@with_appcontext
@click.option("--check", is_flag=True, help="Only compare the index with the database; exit 1 on drift.")
@one_line_errors
def reindex_command(check: bool) -> None:
    """Rebuild the search index from the database and swap it in atomically."""
    session = get_session()
    with writing_index() as index:
        if check:
            _check_index(session, index)
            return
        total = session.scalar(select(func.count()).select_from(Talk)) or 0
        started = time.perf_counter()
        try:
            with click.progressbar(length=total, label="indexing talks", file=sys.stderr) as bar:
                count = rebuild_index(session, index, on_progress=lambda done: bar.update(done - bar.pos))
        except IndexBusy as error:
            _fail(str(error))
        elapsed = time.perf_counter() - started
        rate = count / elapsed if elapsed else 0
        click.echo(f"indexed {count} talks in {elapsed:.2f} s ({rate:,.0f} talks/s); "
                   f"generation {index.generation()}")


def _check_index(session, index) -> None:
    problem = index.problem()
    if problem is not None:
        _fail(f"{problem}; run `flask reindex`")
    drift = index_drift(session, index)
    for label, slugs in (("missing", drift.missing), ("stale", drift.stale), ("extra", drift.extra)):
        for slug in slugs:
            click.echo(f"{label}: {slug}")
    if drift:
        _fail(f"index out of step: {len(drift.missing)} missing, {len(drift.stale)} stale, {len(drift.extra)} extra; run `flask reindex`")
    click.echo("index in step with the database")


@click.command("check-data")
@with_appcontext
@one_line_errors
def check_data_command() -> None:
    """List talks whose abstract is in another language, look-alike speakers, and missing dates."""
    report = check_data(get_session())
    for title, lines in report.sections():
        click.echo(f"{title}: {len(lines)}")
        for line in lines:
            click.echo(f"  {line}")


@click.command("migrate")
@with_appcontext
@one_line_errors
def migrate_command() -> None:
    """Bring the database's schema up to date (Alembic's migrations) and say which revision it is at."""
    engine = current_app.extensions["meetup_engine"]
    upgrade_schema(engine)
    with engine.connect() as connection:
        click.echo(f"database schema at revision {current_revision(connection)} (newest: {head_revision()})")


def init_app(app: Flask) -> None:
    for command in (import_talks_command, export_talks_command, reindex_command, check_data_command, migrate_command):
        app.cli.add_command(command)
