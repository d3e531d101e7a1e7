"""The provider: Authlib's authorization server with its OpenID Connect extensions, the people
from a directory file, and a small WSGI shell (no web framework, so no Django).

Like Entra ID, the provider keeps its own session (a cookie): a browser that signed in here is
not asked for the password again until it signs out at the end-session endpoint (RP-initiated
logout), or a service asks with `prompt=login`. Codes, tokens and sessions live in memory: a
restart signs nobody in or out anywhere but here, which is what a test or demo provider wants.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from wsgiref.headers import Headers

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import (
    AccessDeniedError,
    ClientMixin,
    InvalidRequestError,
    OAuth2Error,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, RSAKey

from sendcase.oidc_provider.directory import Client, Directory, Person

CODE_SECONDS = 300
TOKEN_SECONDS = 3600
SESSION_SECONDS = 8 * 3600
# Named for this provider: cookies are not kept apart by port, and on loopback the service
# and the provider share a host.
SESSION_COOKIE = "test_idp_session"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def redirect_uri_matches(registered: str, requested: str) -> bool:
    """Exact match, except that a loopback address may use any port (RFC 8252, section 7.3):
    the tests' and the demo's servers take whatever free port they are given."""
    if registered == requested:
        return True
    want, got = urlsplit(registered), urlsplit(requested)
    return (
        want.hostname in LOOPBACK_HOSTS
        and want.scheme == got.scheme
        and want.hostname == got.hostname
        and want.path == got.path
        and want.query == got.query
    )


class RegisteredClient(ClientMixin):
    def __init__(self, client: Client) -> None:
        self.client = client

    def get_client_id(self) -> str:
        return self.client.client_id

    def get_default_redirect_uri(self) -> str:
        return self.client.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "profile", "email"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return any(redirect_uri_matches(r, redirect_uri) for r in self.client.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client.client_secret) and secrets.compare_digest(
            self.client.client_secret, client_secret or ""
        )

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if endpoint != "token":
            return True
        configured = self.client.token_endpoint_auth_method
        if configured == "private_key_jwt":
            return method == "private_key_jwt"
        # A client with a secret may present it either way, as Entra ID allows.
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class IssuedCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str
    code_challenge: str
    code_challenge_method: str
    vtr: str
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_amr(self) -> list[str]:
        return ["pwd", "mfa"] if self.person.mfa else ["pwd"]

    def get_acr(self) -> str:
        # RFC 8176 and Entra: "possessionorinherence" when a second factor was used.
        return "possessionorinherence" if self.person.mfa else "password"

    def expired(self) -> bool:
        return time.time() > self.auth_time + CODE_SECONDS


@dataclass
class IssuedToken:
    person: Person
    scope: str
    expires_at: float


class Store:
    """Codes, tokens and used client-assertion ids, in memory, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.codes: dict[str, IssuedCode] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.jtis: set[str] = set()
        # The provider's own sign-in sessions: cookie value -> (the person's sub, expiry).
        self.sessions: dict[str, tuple[str, float]] = {}


def vot_from(vtr: str) -> str:
    """GOV.UK One Login's vector of trust: `vtr` is a JSON list such as ["Cl.Cm"]; the ID token
    says which was met in `vot`. This provider meets the first one asked for."""
    try:
        vectors = json.loads(vtr) if vtr else []
    except ValueError:
        return ""
    return str(vectors[0]) if isinstance(vectors, list) and vectors else ""


def user_info(person: Person, scope: str) -> dict[str, Any]:
    claims = person.claims()
    scopes = set(scope.split())
    info: dict[str, Any] = {"sub": person.sub, "groups": claims["groups"]}
    if "profile" in scopes:
        for name in ("name", "given_name", "family_name", "preferred_username"):
            info[name] = claims[name]
    if "email" in scopes:
        info["email"] = claims["email"]
        info["email_verified"] = claims["email_verified"]
    return info


class Provider(AuthorizationServer):
    def __init__(self, directory: Directory, issuer: str) -> None:
        super().__init__(scopes_supported=["openid", "profile", "email"])
        self.directory = directory
        self.issuer = issuer.rstrip("/")
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
        )
        self.store = Store()
        self.register_token_generator(
            "default",
            BearerTokenGenerator(lambda *args, **kwargs: secrets.token_urlsafe(32)),
        )
        self.register_client_auth_method("private_key_jwt", PrivateKeyJWTAuth(self))
        self.register_grant(CodeGrant, [ProviderOpenIDCode(self), S256Required(required=True)])

    def url(self, path: str) -> str:
        return self.issuer + path

    # --- AuthorizationServer's hooks ---------------------------------------------------------

    def query_client(self, client_id: str) -> RegisteredClient | None:
        client = self.directory.clients.get(client_id or "")
        return RegisteredClient(client) if client else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        with self.store.lock:
            self.store.tokens[token["access_token"]] = IssuedToken(
                person=request.user,
                scope=token.get("scope", ""),
                expires_at=time.time() + token.get("expires_in", TOKEN_SECONDS),
            )

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        return request if isinstance(request, OAuth2Request) else WSGIOAuth2Request(request)

    def handle_response(
        self, status: int, body: Any, headers: Iterable[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, list(headers)

    # --- Documents -------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.url("/authorize"),
            "token_endpoint": self.url("/token"),
            "userinfo_endpoint": self.url("/userinfo"),
            "jwks_uri": self.url("/jwks"),
            "end_session_endpoint": self.url("/logout"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "name",
                "given_name",
                "family_name",
                "preferred_username",
                "email",
                "email_verified",
                "groups",
                "amr",
                "acr",
                "vot",
            ],
            "ui_locales_supported": ["en", "cy"],
            "vtr_values_supported": ["Cl", "Cl.Cm"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}


class S256Required(CodeChallenge):
    """PKCE for every client, confidential ones too (Authlib's default asks it of public clients
    only), and only its S256 method."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required.")
        super().validate_code_challenge(grant, redirect_uri)


class CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"]

    @property
    def provider(self) -> Provider:
        server: Provider = self.server
        return server

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        issued = IssuedCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri", ""),
            scope=request.client.get_allowed_scope(data.get("scope", "")),
            person=request.user,
            nonce=data.get("nonce", ""),
            code_challenge=data.get("code_challenge", ""),
            code_challenge_method=data.get("code_challenge_method", ""),
            vtr=data.get("vtr", ""),
        )
        with self.provider.store.lock:
            self.provider.store.codes[code] = issued

    def query_authorization_code(self, code: str, client: RegisteredClient) -> IssuedCode | None:
        with self.provider.store.lock:
            issued = self.provider.store.codes.get(code)
        if issued and issued.client_id == client.get_client_id() and not issued.expired():
            return issued
        return None

    def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
        with self.provider.store.lock:
            self.provider.store.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: IssuedCode) -> Person | None:
        person = self.provider.directory.by_sub(authorization_code.person.sub)
        return None if person is None or person.disabled else person


class ProviderOpenIDCode(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        client_id = request.payload.client_id
        with self.provider.store.lock:
            return any(
                c.nonce == nonce and c.client_id == client_id
                for c in self.provider.store.codes.values()
            )

    def resolve_client_private_key(self, client: RegisteredClient) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: RegisteredClient) -> str:
        return "RS256"

    def get_encode_header(self, client: RegisteredClient) -> dict[str, str]:
        return {"alg": "RS256", "kid": str(self.provider.key.kid)}

    def get_client_claims(self, client: RegisteredClient) -> dict[str, Any]:
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def get_authorization_code_claims(self, authorization_code: IssuedCode) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
        if vot := vot_from(authorization_code.vtr):
            claims["vot"] = vot
        return claims

    def generate_user_info(self, user: Person, scope: str) -> dict[str, Any]:
        return user_info(user, scope)


class PrivateKeyJWTAuth(JWTBearerClientAssertion):
    """`private_key_jwt`: the client signs a short-lived JWT with its private key; the provider
    checks it against the public key registered in the directory, once per `jti`."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, provider: Provider) -> None:
        super().__init__(validate_jti=True)
        self.provider = provider

    def get_audiences(self) -> list[str]:
        return [self.provider.url("/token"), self.provider.issuer]

    def validate_jti(self, claims: Any, jti: str) -> bool:
        key = f"{claims['sub']}:{jti}"
        with self.provider.store.lock:
            if key in self.provider.store.jtis:
                return False
            self.provider.store.jtis.add(key)
        return True

    def resolve_client_public_key(self, client: RegisteredClient) -> KeySet:
        return KeySet.import_key_set(client.client.jwks)  # type: ignore[arg-type]


# --- The WSGI shell ---------------------------------------------------------------------------


class Request:
    def __init__(self, environ: dict[str, Any], issuer: str) -> None:
        self.method = environ["REQUEST_METHOD"]
        self.path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        self.uri = issuer + self.path + (f"?{query}" if query else "")
        self.query = dict(parse_qsl(query, keep_blank_values=True))
        self.headers = Headers(
            [
                (key[5:].replace("_", "-").title(), value)
                for key, value in environ.items()
                if key.startswith("HTTP_")
            ]
        )
        self.cookies = {
            name.strip(): value.strip()
            for name, _, value in (
                part.partition("=") for part in environ.get("HTTP_COOKIE", "").split(";")
            )
            if name.strip()
        }
        self.form: dict[str, str] = {}
        if self.method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode("utf-8") if length else ""
            self.form = dict(parse_qsl(body, keep_blank_values=True))


class WSGIOAuth2Request(OAuth2Request):
    def __init__(self, request: Request) -> None:
        super().__init__(request.method, request.uri, headers=request.headers)
        self.payload = BasicOAuth2Payload({**request.query, **request.form})
        self._request = request

    @property
    def args(self) -> dict[str, str]:
        return self._request.query

    @property
    def form(self) -> dict[str, str]:
        return self._request.form


Response = tuple[int, Any, list[tuple[str, str]]]
STATUS = {
    200: "200 OK",
    302: "302 Found",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
}
# Parameters of the authorization request that the sign-in form carries through.
AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "vtr",
    "ui_locales",
    "prompt",
)


def json_response(data: Any, status: int = 200) -> Response:
    return status, data, [("Content-Type", "application/json"), ("Cache-Control", "no-store")]


def page(title: str, body: str, *, lang: str = "en", status: int = 200) -> Response:
    document = f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - Test identity provider</title>
<style>
body {{ font-family: Arial, sans-serif; margin: 0; color: #0b0c0c; }}
header {{ background: #0b0c0c; color: #fff; padding: 12px 15px; font-weight: bold; }}
main {{ max-width: 640px; padding: 15px; }}
label {{ display: block; font-weight: bold; margin: 15px 0 5px; }}
input {{ font-size: 1.1rem; padding: 5px; width: 100%; max-width: 20em; border: 2px solid #0b0c0c; box-sizing: border-box; }}
button {{ margin-top: 20px; font-size: 1.1rem; padding: 8px 12px; background: #00703c; color: #fff; border: 0; }}
.error {{ color: #d4351c; font-weight: bold; border-left: 5px solid #d4351c; padding-left: 10px; }}
</style></head>
<body><header>Test identity provider (loopback, for the demo and the tests)</header>
<main>{body}</main></body></html>"""
    return status, document, [("Content-Type", "text/html; charset=utf-8")]


def sign_in_page(provider: Provider, params: dict[str, str], error: str = "") -> Response:
    client = provider.directory.clients.get(params.get("client_id", ""))
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params[name])}">'
        for name in AUTHORIZE_PARAMS
        if name in params
    )
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    lang = "cy" if params.get("ui_locales", "").split(" ")[0] == "cy" else "en"
    body = f"""<h1>Sign in</h1>
<p>to continue to {html.escape(client.client_id if client else "the service")}</p>{message}
<form method="post" action="/authorize">{hidden}
<label for="username">Username or email address</label>
<input id="username" name="username" autocomplete="username" spellcheck="false">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form>"""
    return page("Sign in", body, lang=lang, status=200 if not error else 401)


def authorize(provider: Provider, request: Request) -> Response:
    params = {k: v for k, v in {**request.query, **request.form}.items() if k in AUTHORIZE_PARAMS}
    oauth_request = WSGIOAuth2Request(request)
    try:
        grant = provider.get_consent_grant(oauth_request)
    except OAuth2Error as error:
        if error.redirect_uri:
            refused: Response = provider.handle_error_response(oauth_request, error)
            return refused
        return page(
            "Sign-in request refused",
            f"<h1>The service's sign-in request was refused</h1><p>{html.escape(error.error)}: "
            f"{html.escape(error.description or '')}</p>",
            status=400,
        )
    if request.method != "POST":
        person = session_person(provider, request)
        if person is None or "login" in params.get("prompt", "").split():
            return sign_in_page(provider, params)
    else:
        person = provider.directory.person(request.form.get("username", ""))
        if person is None or not secrets.compare_digest(
            person.password, request.form.get("password", "")
        ):
            return sign_in_page(provider, params, "The username or password is wrong.")
    if person.disabled:
        # As Entra ID refuses a disabled account; the service hears why, in the redirect.
        refusal = AccessDeniedError(
            description="This account has been disabled.",
            redirect_uri=grant.validate_authorization_request(),
        )
        refusal.state = params.get("state")
        refused_disabled: Response = provider.handle_error_response(oauth_request, refusal)
        return refused_disabled
    status, body, headers = provider.create_authorization_response(
        oauth_request, grant_user=person, grant=grant
    )
    if request.method == "POST":
        headers.append(("Set-Cookie", start_session(provider, person)))
    return status, body, headers


def session_person(provider: Provider, request: Request) -> Person | None:
    """Who this browser is signed in as here, if anyone (and still in the directory)."""
    key = request.cookies.get(SESSION_COOKIE, "")
    with provider.store.lock:
        sub, expires_at = provider.store.sessions.get(key, ("", 0.0))
    if not sub or expires_at < time.time():
        return None
    return provider.directory.by_sub(sub)


def start_session(provider: Provider, person: Person) -> str:
    """A new session for this person; returns the Set-Cookie header's value."""
    key = secrets.token_urlsafe(32)
    with provider.store.lock:
        provider.store.sessions[key] = (person.sub, time.time() + SESSION_SECONDS)
    return f"{SESSION_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}"


def end_sessions(provider: Provider, request: Request, sub: str) -> None:
    """End this browser's session, and every session of the person the ID token names."""
    key = request.cookies.get(SESSION_COOKIE, "")
    with provider.store.lock:
        provider.store.sessions.pop(key, None)
        if sub:
            for other in [k for k, (s, _) in provider.store.sessions.items() if s == sub]:
                del provider.store.sessions[other]


def id_token_hint_claims(provider: Provider, hint: str) -> dict[str, Any] | None:
    """The claims of an ID token this provider signed, or None (expiry is no matter: a logout
    often comes after the token has expired)."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    try:
        token = jwt.decode(hint, provider.key, algorithms=["RS256"])
    except (JoseError, ValueError):
        return None
    claims = dict(token.claims)
    return claims if claims.get("iss") == provider.issuer else None


def userinfo(provider: Provider, request: Request) -> Response:
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    with provider.store.lock:
        issued = provider.store.tokens.get(token) if scheme.lower() == "bearer" else None
    if issued is None or issued.expires_at < time.time():
        return 401, "", [("WWW-Authenticate", 'Bearer error="invalid_token"')]
    return json_response(user_info(issued.person, issued.scope))


def end_session(provider: Provider, request: Request) -> Response:
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): end the provider's session,
    then return to the service's `post_logout_redirect_uri` if that client registered it. The
    `id_token_hint` says which client and person; without a valid one, the provider does not
    redirect anywhere but still signs this browser out."""
    hint = request.query.get("id_token_hint", "")
    claims = id_token_hint_claims(provider, hint) if hint else None
    if hint and claims is None:
        return page(
            "Sign-out request refused", "<h1>The ID token hint is not valid</h1>", status=400
        )
    audience = (claims or {}).get("aud") or []
    audience = [audience] if isinstance(audience, str) else list(audience)
    client_id = request.query.get("client_id") or (audience[0] if audience else "")
    end_sessions(provider, request, str((claims or {}).get("sub", "")))
    expired = f"{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    client = provider.directory.clients.get(client_id)
    target = request.query.get("post_logout_redirect_uri", "")
    if (
        target
        and client is not None
        and (claims is not None or not hint)
        and any(redirect_uri_matches(r, target) for r in client.post_logout_redirect_uris)
    ):
        state = request.query.get("state")
        location = add_params_to_uri(target, [("state", state)]) if state else target
        return 302, "", [("Location", location), ("Set-Cookie", expired)]
    status, body, headers = page("Signed out", "<h1>You have signed out</h1>")
    return status, body, [*headers, ("Set-Cookie", expired)]


def application(provider: Provider) -> Callable[..., Iterable[bytes]]:
    routes: dict[str, Callable[[Request], Response]] = {
        "/.well-known/openid-configuration": lambda r: json_response(provider.discovery()),
        "/jwks": lambda r: json_response(provider.jwks()),
        "/authorize": lambda r: authorize(provider, r),
        "/token": lambda r: provider.create_token_response(WSGIOAuth2Request(r)),
        "/userinfo": lambda r: userinfo(provider, r),
        "/logout": lambda r: end_session(provider, r),
    }

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ, provider.issuer)
        handler = routes.get(request.path)
        if handler is None:
            status, body, headers = page("Not found", "<h1>Page not found</h1>", status=404)
        else:
            status, body, headers = handler(request)
        if isinstance(body, dict):
            body = json.dumps(body)
            if not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("Content-Type", "application/json"))
        data = (body or "").encode("utf-8")
        start_response(
            STATUS.get(status, f"{status} Status"), [*headers, ("Content-Length", str(len(data)))]
        )
        return [data]

    return app
