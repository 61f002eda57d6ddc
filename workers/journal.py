"""Opening the journal's event store from the settings (the write side's composition root).

Deliberately light: the CLI's write path imports this, so no Celery or
SQLAlchemy here. The event store is encrypted (see ``workers.sealing``):
opening it takes the installation's master key, created by ``kronika init``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import Any

from eventsourcing.persistence import MapperDeserialisationError, Recording

from domain.journal import Journal
from projections.stored import facts
from workers import compression
from workers.sealing import ERASED_TOPIC, ClientKeys, SealingMapper, create_key_file, parse_key
from workers.settings import ConfigurationError, Settings

KEY_PROBES = 5  # stored facts tried before a master key is called wrong


class NotInitialised(Exception):
    """There is no journal where the settings point."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class SealedJournal(Journal):
    """The journal whose personal fields are sealed with their client's key."""

    name = Journal.name  # the library names the tables after it
    mapper: SealingMapper

    def construct_mapper(self) -> SealingMapper:
        mapper = self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=SealingMapper)
        assert isinstance(mapper, SealingMapper)
        return mapper

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        self.mapper.prepare(o for o in objs if o is not None)
        recordings = super().save(*objs, **kwargs)
        for recording in recordings:
            if recording.notification.topic == ERASED_TOPIC:
                self.mapper.keys.shred(recording.domain_event.originator_id)
        return recordings


def open_journal(
    settings: Settings,
    *,
    create: bool = False,
    clock: Callable[[], datetime] | None = None,
    personal: bool = True,
) -> Journal:
    """The journal where the settings point; ``personal=False`` (projection workers) unseals nothing."""
    env = settings.journal_env()
    if settings.database_url:
        if create:
            _create_schema(env)
        env["CREATE_TABLE"] = "y" if create else "n"
    else:
        path = settings.data_dir / "journal.sqlite"
        if create:
            settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        elif not path.exists():
            raise NotInitialised(str(settings.data_dir))
    key, created = _master_key(settings, create)
    if key is None and settings.database_url:
        # Is there a journal at all? Without one, the way out is kronika init, not a key.
        probe = Journal(env=env)
        try:
            probe.recorder.max_notification_id()
        finally:
            probe.close()
    if key is None:
        raise ConfigurationError(
            f"no master key at {settings.key_file}: set KRONIKA_MASTER_KEY_FILE (or KRONIKA_MASTER_KEY) "
            "to the key kronika init created"
        )
    env |= {
        "COMPRESSOR_TOPIC": compression.TOPIC,
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": key,
    }
    journal = SealedJournal(env=env, clock=clock)
    try:
        schema = (env["POSTGRES_SCHEMA"] or "public") if settings.database_url else None
        keys = ClientKeys(journal.recorder.datastore, parse_key(key, "the master key"), schema=schema)  # type: ignore[attr-defined]
        journal.mapper.bind(keys, personal=personal)
        _check_key(journal, settings, created)
        if create:
            keys.create_table()
    except BaseException:
        journal.close()
        if created:
            settings.key_file.unlink(missing_ok=True)
        raise
    return journal


def master_key(settings: Settings) -> bytes | None:
    """The installation's master key as the settings give it (None: there is none)."""
    text, _created = _master_key(settings, create=False)
    return None if text is None else parse_key(text, "the master key")


def _master_key(settings: Settings, create: bool) -> tuple[str | None, bool]:
    """The master key's base64 text (None: there is none), and whether it was created just now."""
    if settings.master_key:
        parse_key(settings.master_key, "KRONIKA_MASTER_KEY")
        return settings.master_key, False
    path = settings.key_file
    if path.exists():
        try:
            text = path.read_text().strip()
        except OSError as error:
            raise ConfigurationError(f"cannot read the master key {path}: {error.strerror}") from None
        parse_key(text, f"the master key file {path}")
        return text, False
    if not create:
        return None, False
    return create_key_file(path), True


def _check_key(journal: Journal, settings: Settings, created: bool) -> None:
    """The stored facts must open with the key: a wrong key is one clear error, at once.

    The first fact is tried; if it does not open, the next few: one that
    opens proves the key right and the first fact altered, which is for
    ``kronika audit verify`` to find (it could not run if this refused).
    """
    probes = list(islice(facts(journal, page_size=KEY_PROBES), KEY_PROBES))
    if not probes:
        return
    if created:
        raise ConfigurationError(
            f"the journal exists but its master key does not (looked for {settings.key_file}): "
            "set KRONIKA_MASTER_KEY_FILE to the key it was created with"
        )
    for fact in probes:
        if not fact.sound:
            continue
        try:
            journal.mapper.to_domain_event(fact)  # type: ignore[arg-type]
        except MapperDeserialisationError:
            continue
        return
    raise ConfigurationError(
        "the master key does not open this journal: "
        "set KRONIKA_MASTER_KEY_FILE to the key it was created with"
    )


def _create_schema(env: dict[str, str]) -> None:
    schema = env.get("POSTGRES_SCHEMA")
    if not schema:
        return
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    except psycopg.OperationalError as error:
        raise ConfigurationError(f"cannot reach PostgreSQL at {env['POSTGRES_HOST']}: {error}") from None
