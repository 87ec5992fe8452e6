"""GS1 element strings and GS1 Digital Link URIs, read by biip into a `ParsedCode` (GTIN, lot, expiry,
serial, count, SSCC and every element in scan order); biip's errors become short `InvalidCode` reasons.
`station.barcodes` decides when a scan is GS1 and calls `parse_gs1` / `parse_uri`."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message

from station.gtin import check_gtin
from station.parsed_code import CodeKind, InvalidCode, ParsedCode, plain_code


def parse_uri(raw: str, text: str, aim: str | None) -> ParsedCode:
    """GS1 Digital Link URI if biip reads one; a broken GTIN in the path is invalid; else TEXT."""
    try:
        uri = GS1DigitalLinkURI.parse(text)
    except ParseError as exc:
        path_segments = urlsplit(text).path.split("/")
        if "01" in path_segments:
            raise InvalidCode(f"GS1 Digital Link: {exc}", raw) from None
        return plain_code(raw, text, aim, CodeKind.TEXT)
    return _from_gs1(raw, text, aim, uri.as_gs1_message())


def parse_gs1(raw: str, text: str, aim: str | None) -> ParsedCode:
    """GS1 element strings, raw (GS-separated) or parenthesised; must parse completely."""
    try:
        if text.startswith("("):
            message = GS1Message.parse_hri(text)
        else:
            message = GS1Message.parse(text)
    except ParseError as exc:
        raise InvalidCode(_short_gs1_reason(str(exc)), raw) from None
    return _from_gs1(raw, text, aim, message)


def _short_gs1_reason(biip_message: str) -> str:
    """biip's messages repeat the input and the regex; keep what a person can act on."""
    match = re.match(r"Failed to match '(.*)' with GS1 AI \((\d+)\)", biip_message)
    if match:
        return f"GS1 AI ({match.group(2)}) is malformed: {match.group(1)!r}"
    if biip_message.startswith("Failed to get GS1 Application Identifier from"):
        rest = biip_message.split("from", 1)[1].strip().rstrip(".")
        return f"not a GS1 application identifier at {rest}"
    if biip_message.startswith("Failed to parse GS1 AI"):
        return biip_message.replace("Failed to parse", "invalid").rstrip(".")
    return f"not valid GS1: {biip_message}"


def _from_gs1(raw: str, text: str, aim: str | None, message: GS1Message) -> ParsedCode:
    gtin: str | None = None
    contained_gtin: str | None = None
    lot = serial = sscc = None
    expiry: datetime.date | None = None
    count: int | None = None
    elements: list[tuple[str, str]] = []
    for element in message.element_strings:
        ai = element.ai.ai
        elements.append((ai, element.value))
        if ai in ("01", "02"):
            try:
                check_gtin(element.value)
            except InvalidCode as exc:
                raise InvalidCode(f"GTIN ({ai}): {exc.reason}", raw) from None
            if ai == "01":
                gtin = element.value
            else:
                contained_gtin = element.value
        elif ai == "00":
            if element.sscc is None:
                raise InvalidCode(f"SSCC (00): {element.sscc_error}", raw)
            sscc = element.value
        elif ai == "10":
            lot = element.value
        elif ai == "21":
            serial = element.value
        elif ai == "17":
            expiry = element.date
        elif ai in ("30", "37"):
            count = int(element.value)
            if count < 1:
                raise InvalidCode(f"count ({ai}) must be at least 1, got {element.value}", raw)
        elif element.gln_error is not None:
            raise InvalidCode(f"GLN ({ai}): {element.gln_error}", raw)
    return ParsedCode(
        raw=raw,
        text=text,
        symbology=aim,
        kind=CodeKind.GS1,
        gtin=gtin if gtin is not None else contained_gtin,
        lot=lot,
        expiry=expiry,
        serial=serial,
        count=count,
        command=None,
        hri=message.as_hri(),
        sscc=sscc,
        elements=tuple(elements),
    )
