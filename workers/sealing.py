"""The journal encrypted at rest: the installation's master key and a key per client.

Every stored event's state is compressed and encrypted with the master key
(the library's AES-GCM cipher). An event's personal fields (its ``personal``
dict: names, dates of birth, contacts, notes) are sealed once more, with the
key of the person they are about: the client, for a client's record and for
the cases opened for them; the record itself for records about nobody in
particular (an enquiry, a complaint). The event's identity (record, version,
type) and the subject are the associated data, so a sealed value copied
into another event does not open.

Erasing a client destroys their key. Their personal fields then read as
``ERASED`` everywhere, while every other field (what the statistics count,
the shape of their cases) and the stored bytes themselves (and so the hash
chain over them) stay as they were.

A journal opened without personal data (the projection workers) never
unseals anything: its events carry no personal fields at all.
"""

from __future__ import annotations

import json
import os
from base64 import b64decode, b64encode
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import TopicError, get_topic, resolve_topic

from domain.errors import PersonalDataErased
from domain.facts import ERASED
from workers.settings import ConfigurationError

KEY_BYTES = 32
NONCE_BYTES = 12
OWN_TOPICS = ("domain.",)  # stored event types resolve only to Kronika's own domain modules
# Client.Erased's topic, spelt out: the write path of other records need not load the client's module.
ERASED_TOPIC = "domain.client:Client.Erased"


class MasterKeyError(ConfigurationError):
    """The master key is malformed or does not open what it should."""


def new_key() -> str:
    return b64encode(AESGCM.generate_key(KEY_BYTES * 8)).decode("ascii")


def parse_key(text: str, where: str) -> bytes:
    try:
        key = b64decode(text.strip(), validate=True)
    except ValueError:
        raise MasterKeyError(f"{where} is not a base64 key; create one with kronika init") from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"{where} holds {len(key)} bytes, not a {KEY_BYTES}-byte key")
    return key


def derive_key(master: bytes, purpose: str) -> bytes:
    """A key for one purpose (e.g. authenticating backups), derived from the master key; never stored."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(master)


def create_key_file(path: Path) -> str:
    """Write a fresh master key readable by its owner only (0600); refuse to overwrite one."""
    key = new_key()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


class ClientKeys:
    """Per-client keys, wrapped with the master key, in a table beside the events.

    Keys are created before the events they seal are saved (a key whose
    events never landed is harmless). The most recently used ones are kept
    in memory (``CACHED`` at most, so a process importing a large file or
    replaying the whole journal stays flat); the others are read again.
    """

    CACHED = 10_000

    def __init__(self, datastore: Any, master: bytes, *, schema: str | None) -> None:
        self._datastore = datastore
        self._wrapper = AESGCM(master)
        self._master = master
        self._postgres = schema is not None
        quoted = '"' + schema.replace('"', '""') + '"' if schema else None
        self._table = f"{quoted}.kronika_keys" if quoted else "kronika_keys"
        self._cache: OrderedDict[UUID, bytes] = OrderedDict()

    def create_table(self) -> None:
        kind = ("uuid", "bytea") if self._postgres else ("TEXT", "BLOB")
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self._sql("CREATE TABLE IF NOT EXISTS {table} ")
                + f"(subject {kind[0]} PRIMARY KEY, wrapped {kind[1]} NOT NULL)"
            )

    def _param(self, subject: UUID) -> Any:
        return subject if self._postgres else subject.hex

    def _sql(self, statement: str) -> str:
        """A statement on the key table (``{table}``), with the driver's placeholders."""
        statement = statement.replace("{table}", self._table)  # a quoted name from the settings, not input
        return statement.replace("?", "%s") if self._postgres else statement

    def ensure(self, subjects: Iterable[UUID]) -> None:
        """Make sure each subject has a key (one transaction for all that lack one)."""
        missing = [s for s in dict.fromkeys(subjects) if s not in self._cache]
        if not missing:
            return
        found = self._load(missing)
        new = [s for s in missing if s not in found]
        if new:
            rows = []
            for subject in new:
                nonce = os.urandom(NONCE_BYTES)
                key = AESGCM.generate_key(KEY_BYTES * 8)
                rows.append((self._param(subject), nonce + self._wrapper.encrypt(nonce, key, subject.bytes)))
            conflict = "ON CONFLICT DO NOTHING" if self._postgres else ""
            verb = "INSERT" if self._postgres else "INSERT OR IGNORE"
            with self._datastore.transaction(commit=True) as cursor:
                cursor.executemany(
                    self._sql(verb + " INTO {table} (subject, wrapped) VALUES (?, ?) " + conflict), rows
                )
            found |= self._load(new)  # another writer may have created some first: theirs count
        self._remember(found)

    def _remember(self, found: dict[UUID, bytes]) -> None:
        self._cache.update(found)
        for subject in found:
            self._cache.move_to_end(subject)
        while len(self._cache) > self.CACHED:
            self._cache.popitem(last=False)

    def _load(self, subjects: list[UUID]) -> dict[UUID, bytes]:
        found: dict[UUID, bytes] = {}
        wanted = {self._param(s): s for s in subjects}
        params = list(wanted)
        for start in range(0, len(params), 500):
            chunk = params[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            with self._datastore.transaction(commit=False) as cursor:
                cursor.execute(
                    self._sql("SELECT subject, wrapped FROM {table} WHERE subject IN (" + marks + ")"),  # noqa: S608 - only ? marks
                    chunk,
                )
                rows = cursor.fetchall()
            for row in rows:
                subject, wrapped = (row["subject"], row["wrapped"]) if self._postgres else row
                owner = wanted[subject]
                wrapped = bytes(wrapped)
                if not wrapped:  # the tombstone of a destroyed key
                    found[owner] = b""
                    continue
                try:
                    found[owner] = self._wrapper.decrypt(
                        wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], owner.bytes
                    )
                except InvalidTag:
                    raise MasterKeyError("a client key does not open with this master key") from None
        return found

    def get(self, subject: UUID) -> bytes | None:
        """The subject's key, or None if it was destroyed (or never made)."""
        if subject in self._cache:
            self._cache.move_to_end(subject)
            return self._cache[subject] or None
        found = self._load([subject])
        self._remember(found)
        return found.get(subject) or None

    def shred(self, subject: UUID) -> None:
        """Destroy a subject's key for good (idempotent), overwriting the freed bytes on SQLite.

        A tombstone (an empty key) takes its place, so no new key is ever made for the subject.
        """
        if self.get(subject) is None and self._cache.get(subject) == b"":
            return
        self._remember({subject: b""})
        tombstone = [self._param(subject), b""]
        with self._datastore.transaction(commit=True) as cursor:
            if not self._postgres:
                cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(self._sql("DELETE FROM {table} WHERE subject = ?"), tombstone[:1])
            cursor.execute(self._sql("INSERT INTO {table} (subject, wrapped) VALUES (?, ?)"), tombstone)
        if not self._postgres:
            with self._datastore.transaction(commit=False) as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of the key left in the WAL

    def export(self) -> list[tuple[UUID, bytes]]:
        """Every key as stored (wrapped with the master key; destroyed ones as tombstones), for a backup."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql("SELECT subject, wrapped FROM {table}"))
            rows = cursor.fetchall()
        pairs = [(r["subject"], r["wrapped"]) if self._postgres else tuple(r) for r in rows]
        return [(UUID(str(subject)), bytes(wrapped)) for subject, wrapped in pairs]

    def import_rows(self, rows: list[tuple[UUID, bytes]]) -> None:
        """Put keys exported by ``export`` (a restore into an empty journal)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                self._sql("INSERT INTO {table} (subject, wrapped) VALUES (?, ?)"),
                [(self._param(subject), wrapped) for subject, wrapped in rows],
            )

    def derived(self, purpose: str) -> bytes:
        """A key derived from the master key for ``purpose`` (see ``derive_key``)."""
        return derive_key(self._master, purpose)

    def count(self) -> int:
        """How many keys exist (destroyed ones not counted)."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql("SELECT COUNT(*) AS n FROM {table} WHERE length(wrapped) > 0"))
            row = cursor.fetchone()
        return int(row["n"] if self._postgres else row[0])


class SealingMapper(Mapper[UUID]):
    """The library's mapper, sealing personal fields with their subject's key.

    ``subjects`` maps a record to the person its personal data is about (the
    journal fills it from the records it saves); a record not in it is about
    itself. Opened without ``personal``, it unseals nothing: events come out
    with no personal fields.
    """

    keys: ClientKeys
    personal: bool
    subjects: dict[UUID, UUID]

    def bind(self, keys: ClientKeys, *, personal: bool) -> None:
        self.keys = keys
        self.personal = personal
        self.subjects = {}

    def prepare(self, records: Iterable[Any]) -> None:
        """Before a save: note whom each record is about; create the keys its personal fields need."""
        needed = []
        for record in records:
            self.subjects[record.id] = record.data_subject
            if any(getattr(event, "personal", None) for event in record.pending_events):
                needed.append(record.data_subject)
        self.keys.ensure(needed)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        personal = getattr(domain_event, "personal", None)
        if not personal:
            return super().to_stored_event(domain_event)
        originator = domain_event.originator_id
        subject = self.subjects.get(originator, originator)
        self.keys.ensure([subject])
        key = self.keys.get(subject)
        if key is None:
            raise PersonalDataErased()
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(personal, ensure_ascii=False, sort_keys=True).encode()
        aad = _bound(originator, domain_event.originator_version, get_topic(type(domain_event)), subject)
        sealed = {
            "fields": sorted(personal),
            "subject": subject.hex,
            "sealed": b64encode(nonce + AESGCM(key).encrypt(nonce, plain, aad)).decode("ascii"),
        }
        copy = object.__new__(type(domain_event))
        object.__setattr__(copy, "__dict__", {**vars(domain_event), "personal": sealed})
        return super().to_stored_event(copy)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        if not stored_event.topic.startswith(OWN_TOPICS):
            raise MapperDeserialisationError(
                f"stored event {stored_event.originator_id} v{stored_event.originator_version} names a type "
                "outside Kronika's domain; it was not loaded"
            )
        try:
            kind = resolve_topic(stored_event.topic)
        except TopicError:
            kind = None
        if not (isinstance(kind, type) and issubclass(kind, DomainEvent)):
            raise MapperDeserialisationError(
                f"stored event {stored_event.originator_id} v{stored_event.originator_version} names no "
                "fact type of Kronika's domain; it was not loaded"
            )
        event = super().to_domain_event(stored_event)
        state = cast(dict[str, Any], event.__dict__)
        sealed = state.get("personal")
        if isinstance(sealed, dict) and "sealed" in sealed:
            state["personal"] = self._unseal(stored_event, sealed)
        if stored_event.topic == ERASED_TOPIC:
            self.keys.shred(
                UUID(str(stored_event.originator_id))
            )  # finishes an erasure cut short before its key went
        return event

    def _unseal(self, stored: StoredEvent, sealed: dict[str, Any]) -> dict[str, str]:
        if not self.personal:
            return {}
        subject = UUID(sealed["subject"])
        key = self.keys.get(subject)
        if key is None:
            return dict.fromkeys(sealed["fields"], ERASED)
        blob = b64decode(sealed["sealed"])
        aad = _bound(stored.originator_id, stored.originator_version, stored.topic, subject)
        try:
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise MapperDeserialisationError(
                f"the personal data of stored event {stored.originator_id} v{stored.originator_version} "
                "does not belong to it"
            ) from None
        return cast(dict[str, str], json.loads(plain))


def _bound(originator: Any, version: int, topic: str, subject: UUID) -> bytes:
    return f"{originator}|{version}|{topic}|{subject}".encode()
