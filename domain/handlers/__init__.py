"""One handler per command: check who acts, load the records, apply the rules.

A handler returns the code people will use for what it recorded (``K-0001``,
``P-0001#3``, ...). It raises a domain error before anything is recorded.

The handlers of each area of commands are in the module of the same name as
the commands' (``domain.commands.entries`` -> ``domain.handlers.entries``),
loaded when the journal first runs one of its commands; and the records only
some commands touch (clients, contacts, enquiries, reports) are imported by
those commands' handlers. Making fact and command classes costs start-up
time that a command outside their area need not pay.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from domain.codes import EntryRef
from domain.commands import Command
from domain.facts import Stamp
from domain.staff import Duty

if TYPE_CHECKING:
    from domain.case import Case
    from domain.journal import Handler, UnitOfWork
    from domain.service import Service

C = TypeVar("C", bound=Command)


class Handlers(dict[type[Command], Any]):
    """Each command's handler; its area's module is imported when it is first asked for."""

    def __missing__(self, command: type[Command]) -> Handler:
        package, _, area = command.__module__.rpartition(".")
        if package != "domain.commands":
            raise KeyError(command)
        importlib.import_module(f"{__name__}.{area}")
        if not super().__contains__(command):
            raise KeyError(command)
        handler: Handler = super().__getitem__(command)
        return handler


HANDLERS: dict[type[Command], Handler] = Handlers()


def handles(command: type[C]) -> Callable[[Callable[[C, UnitOfWork, Stamp], str]], Any]:
    def register(handler: Callable[[C, UnitOfWork, Stamp], str]) -> Any:
        HANDLERS[command] = handler
        return handler

    return register


def when(occurred_at: datetime | None, stamp: Stamp) -> datetime:
    return occurred_at or stamp.now


def entry_code(case: Case, number: int) -> str:
    return str(EntryRef(case.code, number))


def case_for(uow: UnitOfWork, text: str, stamp: Stamp, duty: Duty = Duty.RECORD) -> tuple[Case, Service]:
    case = uow.case(text)
    uow.actor(stamp.actor, duty, case.service)
    return case, uow.service(case.service)
