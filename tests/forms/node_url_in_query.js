#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a WHATWG URL with the value as its password, carried
// in another URL's query (encodeURIComponent of its href, URLSearchParams),
// and encodeURIComponent called twice.
'use strict';
require('./each_value.js')('node_url_in_query', (v) => {
	const u = new URL('postgres://app@db.example.com/app');
	u.password = v;
	return [
		'https://ops.example.com/check?target=' +
		    encodeURIComponent(u.href),
		new URLSearchParams({db : u.href}).toString(),
		encodeURIComponent(encodeURIComponent(v)),
	].join(' ');
});
