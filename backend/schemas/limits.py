"""Limits the contract shares with storage."""

# Ids, versions and positions are INTEGER columns: 32 bits on PostgreSQL, which refuses even to compare
# one with a larger number. Input is checked against this before it reaches a query.
INT_MAX = 2**31 - 1
# The bounds of a stored id (a serial key starts at 1), for pydantic fields and Litestar parameters alike.
ID_BOUNDS = {"ge": 1, "le": INT_MAX}
