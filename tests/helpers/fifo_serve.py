# SPDX-License-Identifier: ISC
"""One process answering a test file's questions through two FIFOs, so
that a test asks with its shell's builtins alone (fifo_server_ask in
common.bash) where starting a python per question cost more than the
question.

A test writes "ID<TAB>REQUEST" and a NUL to DIR/requests, and reads
"ID<TAB>STATUS", a newline, what the answer printed and a NUL from
DIR/answers. DIR/answers appears once the requests are read."""
import contextlib
import errno
import io
import os
import select
import traceback


def serve(directory, watched, answer):
    """Answer each request, one after another, with answer(REQUEST), which
    gets the request's text (bytes as surrogate escapes) and returns the
    status, what it prints being the answer's text, until process WATCHED
    ends; 0 then."""
    requests = os.path.join(directory, "requests")
    answers = os.path.join(directory, "answers")
    os.mkfifo(requests, 0o600)
    # read and write: the FIFO stays open between the tests' writes
    fd = os.open(requests, os.O_RDWR)
    os.mkfifo(answers + ".new", 0o600)
    os.rename(answers + ".new", answers)
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    pending = b""
    while True:
        if not poller.poll(1000):
            try:
                os.kill(watched, 0)
            except ProcessLookupError:
                return 0
            continue
        pending += os.read(fd, 65536)
        while b"\0" in pending:
            request, pending = pending.split(b"\0", 1)
            ident, _, text = request.partition(b"\t")
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                try:
                    status = answer(text.decode("utf-8", "surrogateescape"))
                except Exception:
                    traceback.print_exc(file=printed)
                    status = 2
            reply = b"%s\t%d\n%s\0" % (
                ident, status,
                printed.getvalue().encode("utf-8", "surrogateescape"))
            try:
                out = os.open(answers, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as e:
                if e.errno == errno.ENXIO:  # the test that asked is gone
                    continue
                raise
            try:
                os.set_blocking(out, True)
                os.write(out, reply)
            except BrokenPipeError:
                pass
            finally:
                os.close(out)
