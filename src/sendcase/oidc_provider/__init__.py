"""A real OpenID Connect provider for the demo and the tests, run on loopback as its own process.

`sendcase oidc-provider --port N --directory FILE` serves the authorization code flow (state,
nonce, PKCE), RS256-signed ID tokens, a JWKS, discovery, userinfo and RP-initiated logout, with
client authentication by `client_secret_basic`/`client_secret_post` (as Microsoft Entra ID is
often set up) and `private_key_jwt` (as GOV.UK One Login requires). The protocol is Authlib's
server (`authlib.oauth2`, `authlib.oidc.core`); this package adds only the people (a directory
file), a sign-in page and a small WSGI shell. Like the statutory clock it imports nothing from
Django, so it starts without SENDcase's settings or database.
"""
