# SPDX-License-Identifier: ISC
// The sample shop's Node worker: reads its configuration from process.env,
// logs it (as careless code does), and checks the Stripe key with the API.
const http = require('http');

const config = {
  stripeKey: process.env.STRIPE_SECRET_KEY,
  databaseUrl: process.env.DATABASE_URL,
  api: process.env.STRIPE_API_BASE || 'http://127.0.0.1',
};
console.log('worker config:', config);
const api = new URL(config.api);

const request = http.request({
  host: api.hostname,
  port: api.port,
  path: '/v1/balance',
  headers: { Authorization: `Bearer ${config.stripeKey}` },
}, (response) => {
  let body = '';
  response.on('data', (chunk) => { body += chunk; });
  response.on('end', () => {
    if (response.statusCode !== 200) {
      console.error(`stripe refused ${config.stripeKey}: ${body}`);
      process.exit(1);
    }
    console.log(`balance checked with key ${config.stripeKey}: ${body}`);
  });
});
request.on('error', (error) => {
  console.error(`cannot reach stripe with ${config.stripeKey}: ${error.message}`);
  process.exit(1);
});
request.end();
