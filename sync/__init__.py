"""Sync with the central remediation backend: the wire format (`sync.wire`), the station-side outbox
drain client, and in `sync.server` the reference central service."""
