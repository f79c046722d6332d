#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: numpy's arrays of a value's bytes and characters, as
# print() and repr() write them: items a blank or more apart and padded
# to the widest ("[115 107  95 ..."), wrapped at 75 columns with a
# blank's indent, a matrix's rows in brackets of their own, and repr()'s
# "array([115, 107, ..., dtype=uint8)".
import numpy

from each_value import each_value


def arrays(value):
    data = value.encode("utf-8", "surrogateescape")
    octets = numpy.frombuffer(data, numpy.uint8)
    chars = numpy.array(list(value))
    shown = [str(octets), repr(octets), str(chars), repr(chars),
             str(numpy.frombuffer(data, numpy.int8))]
    if len(data) % 2 == 0:
        shown.append(str(octets.reshape(2, -1)))
        shown.append(repr(octets.reshape(2, -1)))
    return "\n".join(shown).encode("utf-8", "surrogateescape")


each_value("py_numpy", arrays)
