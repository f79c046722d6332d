# SPDX-License-Identifier: ISC
"""The original design's example: code under test that uses a Stripe key."""
import os

key = os.getenv("STRIPE_SECRET_KEY")
print(f"Using Stripe key: {key}")
print("Payment successful")
