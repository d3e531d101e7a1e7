"""The provider's directory file: its clients (the relying parties) and its people.

A JSON file::

    {
      "clients": [
        {"client_id": "sendcase-staff", "client_secret": "...",
         "token_endpoint_auth_method": "client_secret_post",
         "redirect_uris": ["http://127.0.0.1/accounts/sso/callback/"]},
        {"client_id": "sendcase-portal", "jwks": {"keys": [...]},
         "token_endpoint_auth_method": "private_key_jwt",
         "redirect_uris": ["http://127.0.0.1/portal/signed-in/"]}
      ],
      "people": [
        {"sub": "6f1c...", "username": "case.officer@council.example", "password": "...",
         "name": "Asha Patel", "email": "...", "groups": ["sendcase-case-officers"],
         "disabled": false, "mfa": true}
      ]
    }

`mfa: true` makes the provider assert a second factor (`amr` includes "mfa"), as Entra does after
its own authenticator prompt; `disabled: true` is an account switched off at the provider, which
cannot sign in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class DirectoryError(ValueError):
    """The directory file is not usable; the message says what is wrong."""


@dataclass(frozen=True)
class Person:
    sub: str
    username: str
    password: str
    name: str
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    groups: tuple[str, ...] = ()
    disabled: bool = False
    mfa: bool = False

    def claims(self) -> dict[str, Any]:
        """Everything the provider may say about this person (filtered by scope when issued)."""
        return {
            "sub": self.sub,
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": self.username,
            "email": self.email,
            "email_verified": bool(self.email),
            "groups": list(self.groups),
        }


@dataclass(frozen=True)
class Client:
    client_id: str
    redirect_uris: tuple[str, ...]
    token_endpoint_auth_method: str
    client_secret: str = ""
    jwks: dict[str, Any] = field(default_factory=dict)
    post_logout_redirect_uris: tuple[str, ...] = ()


AUTH_METHODS = ("client_secret_basic", "client_secret_post", "private_key_jwt")


@dataclass(frozen=True)
class Directory:
    clients: dict[str, Client]
    people: tuple[Person, ...]

    def person(self, username: str) -> Person | None:
        wanted = username.strip().lower()
        return next((p for p in self.people if p.username.lower() == wanted), None)

    def by_sub(self, sub: str) -> Person | None:
        return next((p for p in self.people if p.sub == sub), None)


def _client(raw: dict[str, Any]) -> Client:
    method = raw.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in AUTH_METHODS:
        raise DirectoryError(f"client {raw.get('client_id')!r}: unknown auth method {method!r}")
    client = Client(
        client_id=str(raw["client_id"]),
        redirect_uris=tuple(raw.get("redirect_uris", ())),
        token_endpoint_auth_method=method,
        client_secret=str(raw.get("client_secret", "")),
        jwks=dict(raw.get("jwks", {})),
        post_logout_redirect_uris=tuple(raw.get("post_logout_redirect_uris", ())),
    )
    if method == "private_key_jwt" and not client.jwks.get("keys"):
        raise DirectoryError(f"client {client.client_id!r}: private_key_jwt needs its public jwks")
    if method != "private_key_jwt" and not client.client_secret:
        raise DirectoryError(f"client {client.client_id!r}: {method} needs a client_secret")
    if not client.redirect_uris:
        raise DirectoryError(f"client {client.client_id!r}: no redirect_uris")
    return client


def _person(raw: dict[str, Any]) -> Person:
    return Person(
        sub=str(raw["sub"]),
        username=str(raw["username"]),
        password=str(raw["password"]),
        name=str(raw.get("name", raw["username"])),
        email=str(raw.get("email", "")),
        given_name=str(raw.get("given_name", "")),
        family_name=str(raw.get("family_name", "")),
        groups=tuple(str(g) for g in raw.get("groups", ())),
        disabled=bool(raw.get("disabled", False)),
        mfa=bool(raw.get("mfa", False)),
    )


def parse(data: dict[str, Any]) -> Directory:
    try:
        clients = [_client(c) for c in data.get("clients", [])]
        people = tuple(_person(p) for p in data.get("people", []))
    except KeyError as exc:
        raise DirectoryError(f"missing field {exc}") from exc
    subs = [p.sub for p in people]
    if len(set(subs)) != len(subs):
        raise DirectoryError("two people share a sub")
    return Directory(clients={c.client_id: c for c in clients}, people=people)


def load(path: Path) -> Directory:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DirectoryError(f"cannot read {path}: {exc}") from exc
    return parse(data)


def make_client_key() -> tuple[str, dict[str, Any]]:
    """A new RSA key for a `private_key_jwt` client: its private key (PEM, for the service's
    settings) and its public JWKS (for the provider's directory, or GOV.UK One Login's form)."""
    from joserfc.jwk import RSAKey  # slow import, needed only when making a key

    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    pem = key.as_pem(private=True).decode("ascii")
    return pem, {"keys": [key.as_dict(private=False)]}
