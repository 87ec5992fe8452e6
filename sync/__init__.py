"""Sync with the central remediation backend: the wire format (`sync.wire`, with the event payloads in the
neutral `rules.events`), the station-side outbox drain client, and in `sync.server` the reference central
service."""
