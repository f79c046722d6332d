#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a JSON body in a string literal: http.client's
# debug output of a POST (send: b'{"password": ...}') to a server on the
# loopback, repr() of the body and a dict holding it, as logging's %r
# and print() show them.
import http.client
import json
import socket
import threading

from each_value import each_value

server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(4)


def serve():
    while True:
        conn, _ = server.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(body) < length:
            body += conn.recv(65536)
        conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        conn.close()


threading.Thread(target=serve, daemon=True).start()


def show(v):
    body = json.dumps({"password": v})
    conn = http.client.HTTPConnection("127.0.0.1", server.getsockname()[1])
    conn.set_debuglevel(1)
    conn.request("POST", "/login", body=body, headers={"Content-Type": "application/json"})
    conn.getresponse().read()
    conn.close()
    unicode = json.dumps({"password": v}, ensure_ascii=False)
    return " ".join([repr(body), repr({"body": unicode})])


each_value("py_json_body", show)
