# SPDX-License-Identifier: ISC
# A cheap command that uses the key: for many runs at once.
printf 'key: %s\n' "$STRIPE_SECRET_KEY"
