#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The sample shop's backend: charges a card through the Stripe API and
checks its database, with its configuration from the environment, and
prints what it connected with (as careless code does)."""
import json
import os
import shutil
import subprocess
import urllib.parse
import urllib.request

key = os.getenv("STRIPE_SECRET_KEY")
database_url = os.getenv("DATABASE_URL")
api = os.getenv("STRIPE_API_BASE", "https://api.stripe.com")

print(f"Stripe initialized with key: {key}")
request = urllib.request.Request(
    f"{api}/v1/payment_intents",
    data=urllib.parse.urlencode({"amount": 2000, "currency": "usd"}).encode(),
    headers={"Authorization": f"Bearer {key}"})
with urllib.request.urlopen(request, timeout=10) as response:
    payment = json.load(response)
print(f"Payment successful: {payment['id']} ({payment['status']}, "
      f"{payment['amount']} {payment['currency']})")

print(f"Connecting to database: {database_url}")
if shutil.which("psql") and "example.com" not in database_url:
    result = subprocess.run(
        ["psql", database_url, "-XAt", "-c",
         "select 'connected as ' || current_user || ' to ' || current_database()"],
        capture_output=True, text=True, check=False)
    print(result.stdout.strip() or result.stderr.strip())
else:
    print("(no local PostgreSQL: the URL is only printed)")
