"""allauth's session-token authentication, answering 401 instead of 403.

DRF answers 401 for a missing sign-in only when the first authentication class
names a ``WWW-Authenticate`` challenge (RFC 9110, section 11.6.1); allauth's
``XSessionTokenAuthentication`` names none, so every anonymous call to a signed-in
endpoint got 403. The challenge names the header the app sends the token in.
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension

CHALLENGE = 'X-Session-Token realm="api", header="X-Session-Token"'


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate_header(self, request) -> str:
        return CHALLENGE


class SessionTokenScheme(OpenApiAuthenticationExtension):
    """Names the token header in the OpenAPI schema (``securitySchemes``)."""

    target_class = SessionTokenAuthentication
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Session-Token"}
