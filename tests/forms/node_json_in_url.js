#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Conformance form: JSON in a URL's query: encodeURIComponent of
// JSON.stringify (an OAuth state, a GraphQL GET's variables) and
// URLSearchParams of it.
'use strict';
require('./each_value.js')('node_json_in_url', (v) => {
  const json = JSON.stringify({ apiKey: v });
  return '/graphql?variables=' + encodeURIComponent(json) + ' ' +
    new URLSearchParams({ state: json }).toString();
});
