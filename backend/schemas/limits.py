"""Limits the contract shares with storage."""

# Ids, versions and positions are INTEGER columns: 32 bits on PostgreSQL, which refuses even to compare
# one with a larger number. Input is checked against this before it reaches a query.
INT_MAX = 2**31 - 1
# The bounds of a stored id (a serial key starts at 1), for pydantic fields and Litestar parameters alike.
ID_BOUNDS = {"ge": 1, "le": INT_MAX}
# The longest reason an answer may carry; a workshop participant's note doubles as that reason, so it shares the limit.
REASON_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 20000
# Free text with no limit of its own when typed (evidence, a question's text in a file).
TEXT_MAX_LENGTH = 5000
# More than any questionnaire has questions or sections, or a rubric steps: a bound for lists content does not bound.
MOST = 1000
