"""The reference central remediation service (FastAPI + SQLAlchemy; SQLite for demos, PostgreSQL for sites).
It shares only the wire format (`sync.wire` and the neutral `rules` it is built on) with the station."""
