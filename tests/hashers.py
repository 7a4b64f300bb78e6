"""Password hashing for the suite: PBKDF2 as production stores it, at a thousandth of the work.

Django hashes a password with 1,000,000 rounds of PBKDF2 (about a third of a second of CPU
here), once when a test user is made and again at each sign-in: a profile of the suite on
PostgreSQL found it in 44% of the time tests spent being set up. The hashes this writes are
ordinary `pbkdf2_sha256$1000$…` ones: the round count is in the hash, so a server the suite
starts in another process (gunicorn, with production's hashers) signs the same users in.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
