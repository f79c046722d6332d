#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: protobuf's text format of a message holding the
# value in a string field and its bytes in a bytes field (print(msg),
# text_format.MessageToString, as a gRPC request is logged): both quotes
# escaped, \t \n \r by name, the rest of the controls and every byte past
# ASCII in octal (\303\244).
from google.protobuf import text_format, wrappers_pb2

from each_value import each_value


def messages(value):
    data = value.encode("utf-8", "surrogateescape")
    text = text_format.MessageToString(wrappers_pb2.BytesValue(value=data),
                                       as_one_line=True)
    try:
        text += "\n" + str(wrappers_pb2.StringValue(value=value))
    except ValueError:  # a lone surrogate: no string field holds it
        pass
    return text.encode()


each_value("py_protobuf", messages)
