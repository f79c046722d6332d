// SPDX-License-Identifier: ISC
// The original design's example, in Node: code under test that uses a Stripe key.
const key = process.env.STRIPE_SECRET_KEY;
console.log(`Using Stripe key: ${key}`);
console.log("Payment successful");
