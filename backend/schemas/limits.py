"""Limits the contract shares with storage."""

# Ids, versions and positions are INTEGER columns: 32 bits on PostgreSQL, which refuses even to compare
# one with a larger number. Input is checked against this before it reaches a query.
INT_MAX = 2**31 - 1
