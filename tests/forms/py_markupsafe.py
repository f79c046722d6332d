#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: MarkupSafe's escape: &#34; &#39;.
import markupsafe
from each_value import each_value

each_value("py_markupsafe", lambda v: str(markupsafe.escape(v)))
