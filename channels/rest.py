"""Rasa's REST channel with its request body checked first.

Rasa 3.6's own `RestInput` answers HTTP 500 to a body that is empty, not an object, or lacks a string
`sender`/`message`: a client cannot tell its own mistake from a server failure. This subclass keeps the
same URL (`/webhooks/rest/webhook`) and behaviour for good requests and answers 400 with a one-line
reason for bad ones.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request


def _body(request: Request) -> Dict[Text, Any]:
    """The JSON object of the request, or a 400 saying why there is none."""
    try:
        body = request.json
    except InvalidUsage:
        raise InvalidUsage("the body is not valid JSON")
    if not isinstance(body, dict):
        raise InvalidUsage('the body must be a JSON object like {"sender": "id", "message": "text"}')
    return body


def _string_field(request: Request, field: Text) -> Text:
    value = _body(request).get(field)
    if not isinstance(value, str):
        raise InvalidUsage(f'"{field}" must be a string')
    return value


class ValidatingRestInput(RestInput):
    """`RestInput` that turns malformed bodies into HTTP 400 instead of 500."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return _string_field(req, "sender")

    def _extract_message(self, req: Request) -> Optional[Text]:
        return _string_field(req, "message")

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage('"metadata" must be a JSON object')
        return metadata
