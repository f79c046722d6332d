#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: a value as a query parameter in Node: axios's params
// (Debian's node-axios: encodeURIComponent with : $ , [ ] put back and a
// blank as +), as its errors show the request's path, and
// encodeURIComponent's text in a URL (fetch, node-fetch, got), whose
// parser encodes ' again.
'use strict';
// (by its name, with NODE_PATH=/usr/share/nodejs: its CommonJS build)
const axios = require('axios');
require('./each_value.js')(
    'node_axios_params',
    (v) => axios.getUri({
	    url : 'https://api.example.com/v1/items',
	    params : {api_key : v}
    }) + ' ' +
           new URL('https://api.example.com/v1/items?api_key=' +
                   encodeURIComponent(v))
               .href);
