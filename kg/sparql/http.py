"""The one HTTP client of kg's SPARQL side: POST with optional credentials (basic or digest).

Credentials go to urllib's own handlers, which answer the server's ``401`` challenge in the scheme it
asks for (``Basic`` or ``Digest``, as Virtuoso's ``/sparql-auth`` does). The password is held in memory
only: it is never part of a URL, a message or a log line.

>>> Credentials("dba", "secret")
Credentials(user='dba', password='***')
>>> endpoint_urls("http://127.0.0.1:7878")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
>>> endpoint_urls("http://localhost:3030/ds/sparql")
('http://localhost:3030/ds/sparql', 'http://localhost:3030/ds/update')
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from kg.errors import QueryError

USER_AGENT = "kg (SPARQL client)"
#: The environment variable ``kg push`` and ``kg query --endpoint`` read a password from.
PASSWORD_ENV = "KG_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a server that asks for them (basic or digest authentication)."""

    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***')"


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def endpoint_urls(url: str, update: str | None = None) -> tuple[str, str]:
    """(query URL, update URL) of an endpoint: ``…/query`` or ``…/sparql`` → ``…/update`` unless given."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise QueryError(f"{url!r} is not an http(s) URL", hint="for example http://127.0.0.1:7878/query")
    path = parts.path.rstrip("/")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    if not path:
        query_url, update_url = f"{base}/query", f"{base}/update"
    elif path.endswith(("/query", "/sparql")):
        query_url, update_url = url, base + path.rsplit("/", 1)[0] + "/update"
    elif path.endswith("/update"):
        query_url, update_url = base + path[: -len("update")] + "query", url
    else:
        query_url = update_url = url
    return query_url, update or update_url


def opener(credentials: Credentials | None, urls: tuple[str, ...]) -> urllib.request.OpenerDirector:
    """A urllib opener that answers basic and digest challenges from ``urls`` with ``credentials``."""
    if credentials is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in urls:
        manager.add_password(None, url, credentials.user, credentials.password)
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager),
                                       urllib.request.HTTPDigestAuthHandler(manager))


def post(client: urllib.request.OpenerDirector, url: str, body: bytes, content_type: str, accept: str,
         timeout: float | None) -> Response:
    """POST; an HTTP error status is returned, not raised. Network failures raise OSError."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT})
    try:
        with client.open(request, timeout=timeout) as resp:
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", exc.read())


def message(body: bytes) -> str:
    """A server's answer as one short line."""
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:300] + ("…" if len(text) > 300 else "") or "(no message)"


def reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words."""
    cause = getattr(exc, "reason", exc)
    return str(getattr(cause, "strerror", None) or cause)
