"""Headers for an application that holds children's data: Permissions-Policy, and
Cache-Control: no-store on every response the application makes (every signed-in page and
every download; the sign-in pages too, which are no use from a cache), so no browser or proxy
cache keeps a copy. Static files are served before this (WhiteNoise) and stay cacheable."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivacyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        add_never_cache_headers(response)  # Expires now; Cache-Control: max-age=0, no-cache...
        patch_cache_control(response, no_store=True, private=True)
        return response
