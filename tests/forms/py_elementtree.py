#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: an ElementTree attribute and text (US-ASCII: &#252;).
import xml.etree.ElementTree as ET
from each_value import each_value

each_value("py_elementtree", lambda v: ET.tostring(ET.Element('x', key=v)).decode() + ET.tostring(ET.Element('y')).decode())
