#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# parts.py TEXT OFFSET...: TEXT written to stdout (a pipe) in parts cut at
# the offsets, each part once the reader has read the one before: the
# reader gets the parts in reads of their own, with no pause between
# them of the kind a `sleep` makes (on a loaded machine a sleep of 20 ms
# and its fork took longer than redact's 50 ms idle, and a line that is
# held only while its writer writes was let go: a flaky test).
import fcntl
import os
import struct
import sys
import termios
import time


def unread(fd):
    """The bytes written to the pipe and not read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def main():
    data = sys.argv[1].encode("utf-8", "surrogateescape")
    cuts = [int(a) for a in sys.argv[2:]]
    out = sys.stdout.fileno()
    for start, end in zip([0] + cuts, cuts + [len(data)]):
        # the reader has taken the part before (a bounded wait: a reader
        # that stopped reading ends it)
        deadline = time.monotonic() + 10
        while unread(out) > 0 and time.monotonic() < deadline:
            time.sleep(0.0005)
        os.write(out, data[start:end])
    return 0


if __name__ == "__main__":
    sys.exit(main())
