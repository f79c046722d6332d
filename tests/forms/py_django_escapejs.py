#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: Django's escapejs filter (Debian's python3-django) in
# a template's script string: \ ' " < > & = - ; ` and controls as
# \u005C, upper case.
import django.template
from each_value import each_value

page = django.template.Engine().from_string("<script>const key = '{{ v|escapejs }}';</script>")
each_value("py_django_escapejs", lambda v: page.render(django.template.Context({"v": v})))
