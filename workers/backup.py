"""Backup and restore of a journal: the stored facts and the client keys, exactly as stored.

A backup is one SQLite file: every stored fact at its position (still
encrypted with the master key), every client key (still wrapped with it,
destroyed ones as tombstones) and the hash chain's head over the facts. It
holds no key that opens anything: restoring needs the installation's master
key, kept apart. The read store is not in it; it is rebuilt from the facts.

Only an intact journal is backed up (``verify`` first): a backup must not
launder tampering into a fresh journal whose chain would then agree with it.
The head, the number of facts and every client key are authenticated with
an HMAC under a key derived from the master key, so a backup altered later
(its facts and head rewritten together, a key row swapped) is refused.

Restore writes into an empty journal (SQLite or PostgreSQL, whichever the
settings name) at the same positions, so issued reports reproduce, and the
chain recomputed over the restored facts must equal the backup's head.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.journal import Journal
from projections.chain import GENESIS, Digest, Verification, content_hash, extend, facts, link_hash, verify
from projections.store import ReadStore
from workers.journal import SealedJournal, master_key, open_journal
from workers.sealing import derive_key
from workers.settings import ConfigurationError, Settings

FORMAT = "kronika-backup-2"
OLDER = ("kronika-backup-1",)
PAGE = 5000
PURPOSE = "kronika backup authentication v1"


class BadBackup(ConfigurationError):
    """The file is not a Kronika backup, or not a whole one."""


class NotIntact(Exception):
    """The journal is not what its hash chain says: it is not backed up."""

    def __init__(self, found: Verification) -> None:
        super().__init__(found.first)
        self.found = found


def backup(journal: Journal, path: Path, store: ReadStore, *, recorded: int = 0) -> Digest:
    """Verify the journal, then write it to a new file; the chain head of what was written."""
    if path.exists():
        raise ConfigurationError(f"{path} exists; give a new file name")
    if not path.parent.is_dir():
        raise ConfigurationError(f"there is no directory {path.parent}; give a file in an existing one")
    assert isinstance(journal, SealedJournal)
    found = verify(journal, store, recorded=recorded)
    if not found.intact or found.log_head is None:
        raise NotIntact(found)
    extend(journal, store)
    keys = journal.mapper.keys.export()  # first: an erasure after this still reaches the copy's facts
    partial = path.with_name(path.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        out = sqlite3.connect(partial)
        out.execute("CREATE TABLE probe (x)")  # the file can be written at all
        out.execute("DROP TABLE probe")
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(f"cannot write {path} ({error}); give a file you may write") from None
    try:
        out.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE facts (position INTEGER PRIMARY KEY, originator_id TEXT NOT NULL,"
            " originator_version INTEGER NOT NULL, topic TEXT NOT NULL, state BLOB NOT NULL);"
            "CREATE TABLE keys (subject TEXT PRIMARY KEY, wrapped BLOB NOT NULL);"
        )
        out.executemany("INSERT INTO keys VALUES (?, ?)", [(str(s), w) for s, w in keys])
        link, position, rows = GENESIS, 0, []
        for n in facts(journal):
            if not n.sound:  # recorded after the check, and not as Kronika writes facts
                raise NotIntact(verify(journal, store, recorded=recorded))
            link, position = link_hash(link, n.id, content_hash(n)), n.id
            if position == found.log_head.position and link != found.log_head.link:
                raise NotIntact(verify(journal, store, recorded=recorded))  # changed while copying
            rows.append((n.id, str(n.originator_id), n.originator_version, n.topic, n.state))
            if len(rows) >= PAGE:
                out.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", rows)
                rows = []
        out.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", rows)
        head = Digest(position, link)
        meta = {"format": FORMAT, "head": str(head), "facts": str(position)}
        meta["mac"] = _mac(journal.mapper.keys.derived(PURPOSE), meta, keys)
        out.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        out.commit()
    except BaseException:
        out.close()
        partial.unlink(missing_ok=True)
        raise
    out.close()
    partial.chmod(0o600)
    partial.rename(path)
    return head


def _mac(key: bytes, meta: dict[str, str], keys: list[tuple[UUID, bytes]]) -> str:
    """The HMAC over what a backup says about itself (format, head, facts) and every client key row."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for name in ("format", "head", "facts"):
        mac.update(f"{name}={meta[name]}\n".encode())
    for subject, wrapped in sorted(keys):
        mac.update(f"key={subject.hex}:{wrapped.hex()}\n".encode())
    return mac.hexdigest()


class _Fact:
    """A stored fact read back from a backup, shaped like the library's notifications."""

    __slots__ = ("id", "originator_id", "originator_version", "state", "topic")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.id, originator, self.originator_version, self.topic, self.state = row
        self.originator_id = UUID(originator)


def restore(settings: Settings, path: Path) -> tuple[int, Digest]:
    """Restore a backup into an empty journal; the facts restored and the chain head they make.

    Everything that can be wrong is checked before anything is written: the
    file, its chain head, the master key, the target's emptiness.
    """
    if not settings.master_key and not settings.key_file.exists():
        raise ConfigurationError(
            f"restoring needs the master key of the installation the backup came from: put it at "
            f"{settings.key_file} or set KRONIKA_MASTER_KEY_FILE"
        )
    source = _open_backup(path)
    try:
        _authentic(source, path, settings)
        expected = Digest.parse(_meta(source, "head"))
        link, position = GENESIS, 0
        for row in source.execute("SELECT * FROM facts ORDER BY position"):
            fact = _Fact(row)
            link, position = link_hash(link, fact.id, content_hash(fact)), fact.id
        if Digest(position, link) != expected:
            raise BadBackup(f"{path} is damaged: its facts do not make the chain head it recorded")
        existed = (settings.data_dir / "journal.sqlite").exists()
        journal = open_journal(settings, create=True)
        assert isinstance(journal, SealedJournal)
        writer = _Writer(journal, settings)
        written = False
        try:
            if journal.recorder.max_notification_id():
                raise ConfigurationError(
                    "the journal where the settings point is not empty; restore into a new "
                    "KRONIKA_DATA_DIR or database schema"
                )
            first = source.execute("SELECT * FROM facts ORDER BY position LIMIT 1").fetchone()
            if first is not None:
                _opens(journal, _Fact(first))
            written, count = True, 0
            cursor = source.execute("SELECT * FROM facts ORDER BY position")
            while rows := cursor.fetchmany(PAGE):
                writer.insert([_Fact(r) for r in rows])
                count += len(rows)
            keys = [(UUID(s), bytes(w)) for s, w in source.execute("SELECT subject, wrapped FROM keys")]
            journal.mapper.keys.import_rows(keys)
            writer.finish(position)
        except BaseException:
            if written:
                writer.undo()
            journal.close()
            if not existed and not settings.database_url:
                for suffix in ("", "-wal", "-shm"):
                    (settings.data_dir / f"journal.sqlite{suffix}").unlink(missing_ok=True)
            raise
        journal.close()
    finally:
        source.close()
    return count, expected


def _authentic(source: sqlite3.Connection, path: Path, settings: Settings) -> None:
    """The backup's head, size and keys are as the installation with this master key wrote them."""
    master = master_key(settings)
    assert master is not None  # checked by the caller
    meta = {name: _meta(source, name) for name in ("format", "head", "facts")}
    if meta["format"] in OLDER:
        raise BadBackup(
            f"{path} is an older backup without authentication; restore it with the Kronika that made it"
        )
    keys = [(UUID(s), bytes(w)) for s, w in source.execute("SELECT subject, wrapped FROM keys")]
    if hmac.compare_digest(_mac(derive_key(master, PURPOSE), meta, keys), _meta(source, "mac")):
        return
    first = source.execute("SELECT * FROM facts ORDER BY position LIMIT 1").fetchone()
    if first is not None and not _key_opens(master, _Fact(first)):
        raise ConfigurationError(
            "the master key does not open this backup: set KRONIKA_MASTER_KEY_FILE to the key of the "
            "installation it was made from"
        )
    raise BadBackup(f"{path} was altered after it was made (its authentication does not match); use another")


def _key_opens(master: bytes, fact: _Fact) -> bool:
    from base64 import b64encode

    from eventsourcing.cryptography import AESCipher
    from eventsourcing.utils import Environment

    cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: b64encode(master).decode()}))
    try:
        cipher.decrypt(bytes(fact.state))
    except ValueError:
        return False
    return True


def _open_backup(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BadBackup(f"there is no file {path}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if _meta(source, "format") not in (FORMAT, *OLDER):
            raise BadBackup(f"{path} is not a Kronika backup (format {FORMAT})")
    except (sqlite3.DatabaseError, BadBackup):
        source.close()
        raise BadBackup(f"{path} is not a Kronika backup; make one with: kronika backup FILE") from None
    return source


def _meta(source: sqlite3.Connection, name: str) -> str:
    row = source.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise BadBackup(f"the backup has no {name}")
    return str(row[0])


def _opens(journal: SealedJournal, fact: _Fact) -> None:
    from eventsourcing.persistence import MapperDeserialisationError

    try:
        journal.mapper.to_domain_event(fact)  # type: ignore[arg-type]
    except MapperDeserialisationError:
        raise ConfigurationError(
            "the master key does not open this backup: set KRONIKA_MASTER_KEY_FILE to the key of the "
            "installation it was made from"
        ) from None


class _Writer:
    """Raw inserts at the backed-up positions, in the library's own event table."""

    def __init__(self, journal: SealedJournal, settings: Settings) -> None:
        self.datastore = journal.recorder.datastore  # type: ignore[attr-defined]
        self.postgres = settings.database_url is not None
        if self.postgres:
            schema = self.datastore.schema
            self.table, self.keys = f'"{schema}".kronika_events', f'"{schema}".kronika_keys'
        else:
            self.table, self.keys = "stored_events", "kronika_keys"

    def insert(self, facts: list[_Fact]) -> None:
        if self.postgres:
            statement = (
                f"INSERT INTO {self.table} "  # noqa: S608 - our own table's name
                "(notification_id, originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %s, %s)"
            )
            rows: list[tuple[Any, ...]] = [
                (f.id, f.originator_id, f.originator_version, f.topic, f.state) for f in facts
            ]
        else:
            statement = (
                "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)"
            )
            rows = [(f.id, f.originator_id.hex, f.originator_version, f.topic, f.state) for f in facts]
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(statement, rows)

    def undo(self) -> None:
        """A restore that failed half-way leaves the target as empty as it found it."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608 - our table
            cursor.execute(f"DELETE FROM {self.keys}")  # noqa: S608 - our table

    def finish(self, last: int) -> None:
        """PostgreSQL: the id sequence goes on after the restored facts."""
        if self.postgres and last:
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'notification_id'), %s)",
                    (last,),
                )
