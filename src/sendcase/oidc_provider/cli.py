"""`sendcase oidc-provider --port N --directory FILE`: serve the provider on loopback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from sendcase.oidc_provider.directory import DirectoryError, load
from sendcase.oidc_provider.server import Provider, application


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        if os.environ.get("SENDCASE_OIDC_PROVIDER_LOG"):
            super().log_message(format, *args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sendcase oidc-provider",
        description="A test OpenID Connect provider on loopback (demo and tests only).",
    )
    parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--directory", type=Path, required=True, help="the directory JSON file")
    parser.add_argument("--issuer", default="", help="issuer URL (default http://127.0.0.1:PORT)")
    args = parser.parse_args(argv)
    try:
        directory = load(args.directory)
    except DirectoryError as exc:
        print(f"sendcase oidc-provider: {exc}", file=sys.stderr)
        return 2
    # Plain HTTP is allowed because this server listens on loopback only: Authlib refuses
    # http:// addresses otherwise.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    handlers: list[Any] = []
    server = make_server(
        "127.0.0.1",
        args.port,
        lambda e, s: handlers[0](e, s),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    port = server.server_address[1]
    provider = Provider(directory, args.issuer or f"http://127.0.0.1:{port}")
    handlers.append(application(provider))
    print(
        f"OpenID Connect provider at {provider.issuer} ({len(directory.people)} people)", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
