"""OpenID Connect clients, through Authlib's Django client: the staff single sign-on (the
council's provider, e.g. Microsoft Entra ID) and the portal's sign-in (GOV.UK One Login).

Authlib does the protocol: discovery, the authorization request with state, nonce and PKCE
(S256) kept in the session, the token request (with a client secret or `private_key_jwt`), and
the ID token's checks (signature against the provider's JWKS, issuer, audience, expiry, nonce).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from authlib.integrations.django_client import OAuth, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

__all__ = ["OAuthError", "Provider", "client_for"]

HTTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Provider:
    """One relying-party registration with one provider."""

    name: str
    discovery_url: str
    client_id: str
    client_secret: str = ""
    private_key_file: str = ""

    def credential(self) -> tuple[str, str]:
        """(token endpoint auth method, the secret or the PEM private key)."""
        if self.private_key_file:
            try:
                return "private_key_jwt", Path(self.private_key_file).read_text(encoding="ascii")
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"Cannot read the private key for {self.name} sign-in: {exc}"
                ) from exc
        return "client_secret_post", self.client_secret


class Client(Protocol):
    """What SENDcase uses of Authlib's `DjangoOAuth2App` (Authlib has no type hints)."""

    server_metadata: dict[str, Any]

    def authorize_redirect(
        self, request: HttpRequest, redirect_uri: str | None = None, **kwargs: str
    ) -> HttpResponse: ...

    def authorize_access_token(self, request: HttpRequest, **kwargs: str) -> dict[str, Any]: ...

    def logout_redirect(
        self,
        request: HttpRequest,
        post_logout_redirect_uri: str | None = None,
        id_token_hint: str | None = None,
    ) -> HttpResponse: ...


# One client per registration (tests change the settings, so the key is the whole registration).
# A client keeps the provider's discovery document and keys once fetched.
_clients: dict[Provider, Client] = {}


def client_for(provider: Provider) -> Client:
    if provider not in _clients:
        method, credential = provider.credential()
        oauth = OAuth()
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=credential,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": "openid profile email",
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": method,
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
            client_auth_methods=[PrivateKeyJWT()] if method == "private_key_jwt" else None,
        )
        _clients[provider] = cast(Client, oauth.create_client(provider.name))
    return _clients[provider]


def id_claims(token: dict[str, Any]) -> dict[str, Any]:
    """The checked ID token's claims, from what `authorize_access_token` returned."""
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise OAuthError(error="invalid_token", description="The provider sent no ID token.")
    return dict(claims)


def end_session_origin(provider: Provider | None) -> str:
    """The scheme and host of a provider's end-session endpoint (from its discovery document,
    which the client keeps once fetched at sign-in), or "" when there is none. A page's Content
    Security Policy must allow it in `form-action` for a sign-out form to reach it."""
    if provider is None:
        return ""
    metadata = client_for(provider).server_metadata or {}
    endpoint = urlsplit(str(metadata.get("end_session_endpoint") or ""))
    return f"{endpoint.scheme}://{endpoint.netloc}" if endpoint.scheme and endpoint.netloc else ""
