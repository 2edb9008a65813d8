"""A TCP proxy on 127.0.0.1 that can stop forwarding without closing anything: a database that stops answering."""
from __future__ import annotations

import selectors
import socket
import threading


class FrozenProxy:
    """Forward every connection to a server until frozen; frozen, keep every socket open and pass nothing on.

    While frozen it still accepts connections (as a hung server's kernel does) and counts them, never
    answering; `close` ends every socket, so whatever still waits on the proxy sees the connection end.
    """

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.accepted_while_frozen = 0
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = [self.listener]
        self._pipes = selectors.DefaultSelector()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        listening = selectors.DefaultSelector()
        listening.register(self.listener, selectors.EVENT_READ)
        while not self._stop.is_set():
            if listening.select(timeout=0.02):
                self._accept()
            if not self.frozen.is_set() and self._pipes.get_map():
                for key, _ in self._pipes.select(timeout=0.02):
                    self._pass_on(key.fileobj, key.data)
        listening.close()
        self._pipes.close()

    def _accept(self) -> None:
        client, _ = self.listener.accept()
        self._sockets.append(client)
        if self.frozen.is_set():
            self.accepted_while_frozen += 1
            return
        server = socket.create_connection(self.upstream)
        self._sockets.append(server)
        self._pipes.register(client, selectors.EVENT_READ, server)
        self._pipes.register(server, selectors.EVENT_READ, client)

    def _pass_on(self, source: socket.socket, target: socket.socket) -> None:
        try:
            data = source.recv(65536)
            if data:
                target.sendall(data)
                return
        except OSError:
            pass
        for end in (source, target):
            if end.fileno() >= 0:
                self._pipes.unregister(end)
                end.close()

    def close(self) -> None:
        """Stop and close every socket."""
        self._stop.set()
        self._thread.join()
        for end in self._sockets:
            end.close()
