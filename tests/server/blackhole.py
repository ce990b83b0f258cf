"""An AWS endpoint that accepts connections, reads the requests and never answers.

It counts the requests in flight (a connection that has sent bytes and is not closed yet) and the
most it ever saw at once, so tests can prove a bound on concurrent AWS calls from the outside.
"""

from __future__ import annotations

import socket
import threading
import time


class Blackhole:
    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(256)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.requests = 0
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, name="blackhole", daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._open.append(conn)
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        counted = False
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                if not counted:
                    counted = True
                    with self._lock:
                        self.requests += 1
                        self.in_flight += 1
                        self.peak = max(self.peak, self.in_flight)
        except OSError:
            pass
        finally:
            if counted:
                with self._lock:
                    self.in_flight -= 1
            conn.close()

    def wait_idle(self, timeout: float) -> bool:
        """True once no request is in flight (the clients gave up), within ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if self.in_flight == 0:
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._stopped.set()
        self._sock.close()
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
