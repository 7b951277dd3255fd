"""Storage for what people keep between visits: saved scenarios, in SQLite or PostgreSQL.

Kept apart from ``scoring/`` (the engine knows nothing of storage): :mod:`store.scenarios` is
the public API, :mod:`store.database` opens either database from a URL, :mod:`store.migrations`
brings a database's schema up to date.
"""
