#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML's dump of the value's bytes (!!binary: base64
# wrapped at 76, each line indented), and the same base64 quoted in an
# e-mail reply ("> " in front of each line).
import base64
import yaml
from each_value import each_value

each_value("py_yaml_binary",
           lambda v: yaml.dump({"outer": {"key": v.encode()}}) +
           "".join("> " + line + "\n"
                   for line in base64.encodebytes(v.encode()).decode().splitlines()))
