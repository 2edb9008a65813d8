"""Give up on a PostgreSQL server that stops answering, and let every worker know for a few seconds.

libpq bounds connecting (`connect_timeout`) and, with keepalives and `tcp_user_timeout`, a network
that drops packets; `statement_timeout` bounds a server that is working. None of them bounds a
connection whose peer accepts bytes and never answers (a frozen server or proxy): psycopg would
wait for ever. Here each round trip has the statement's bound and a second more (so that a working
server's own statement timeout, the clearer error, comes first), and the first one that
runs out notes an outage that makes every other wait, in this worker or a sibling, fail at once
until it ends.
"""
from __future__ import annotations

import math
import time
from multiprocessing.sharedctypes import RawValue

import psycopg
from psycopg import errors


ANSWER_GRACE_SECONDS = 1.0
_NO_OWN_BOUND = object()


class DatabaseOutage:
    """Since-when the database stopped answering, shared by the processes forked after it is made."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        # In shared memory: a worker that starts during an outage answers 503 at once, not after a wait.
        self._until = RawValue("d", 0.0)

    def noticed(self) -> None:
        """Note that the database just failed to answer in time."""
        self._until.value = time.time() + self.seconds

    def check(self) -> None:
        """Raise psycopg.OperationalError while an outage noticed in the last few seconds lasts."""
        if time.time() < self._until.value:
            raise psycopg.OperationalError("the database stopped answering a moment ago; not waiting for it again yet")


class AnsweringConnection(psycopg.Connection):
    """A psycopg connection whose every round trip gives up after `answer_timeout` seconds.

    psycopg drives each exchange with the server through `wait`, which takes a timeout (psycopg 3.3);
    this is the one place that uses it. A connection that ran out is closed, so SQLAlchemy drops it.
    """

    answer_timeout: float | None = None
    outage: DatabaseOutage | None = None
    # This transaction's own bound, when it has one: None waits as long as it takes (a writer queueing).
    _transaction_bound: float | None | object = _NO_OWN_BOUND

    def wait(self, gen, interval=0.1, timeout=None):
        """Run one exchange with the server, giving up after this connection's bound."""
        if self.outage is not None:
            try:
                self.outage.check()
            except psycopg.OperationalError:
                gen.close()  # not started: nothing was sent
                self.close()
                raise
        bound = self.answer_timeout if self._transaction_bound is _NO_OWN_BOUND else self._transaction_bound
        bound = timeout if timeout is not None else bound
        try:
            return super().wait(gen, interval, bound)
        except errors._WaitTimeout as error:
            self.close()
            if self.outage is not None:
                self.outage.noticed()
            raise psycopg.OperationalError(f"the database did not answer within {bound:g} s") from error

    def bound_transaction(self, seconds: float | None) -> None:
        """Give each wait until this transaction ends its own bound, or none (a writer queueing behind another)."""
        self._transaction_bound = seconds

    def commit(self) -> None:
        """Commit, and end the transaction's own bound."""
        try:
            super().commit()
        finally:
            self._transaction_bound = _NO_OWN_BOUND

    def rollback(self) -> None:
        """Roll back, and end the transaction's own bound."""
        try:
            super().rollback()
        finally:
            self._transaction_bound = _NO_OWN_BOUND


def connect_args(timeout: float) -> dict[str, object]:
    """Return libpq's own bounds: connecting, and a network that stops acknowledging or goes quiet."""
    seconds = max(2, math.ceil(timeout))  # libpq counts whole seconds and treats anything under 2 as 2
    return {
        "connect_timeout": seconds,
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": int(timeout * 1000),
    }


def connect(outage: DatabaseOutage, timeout: float, cargs, cparams) -> AnsweringConnection:
    """Open a connection bounded like the others, unless the database is known not to answer right now."""
    outage.check()
    connection = AnsweringConnection.connect(*cargs, **cparams)
    connection.answer_timeout = timeout + ANSWER_GRACE_SECONDS
    connection.outage = outage
    return connection
