"""The URL fetcher every HTML-to-PDF rendering uses (WeasyPrint): our own static files
and inline `data:` URLs only.

The pack, the minutes and the plan are laid out from HTML that partly comes from other
apps (generated papers) and from what people typed. Escaping keeps markup out, but as a
second line of defence the renderer itself may fetch nothing from the network and no
file outside the project's static directories: a stray `<img src="http://...">` or
`url(file:///etc/passwd)` is refused (WeasyPrint logs the refusal and leaves the
resource out).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] if getattr(settings, "STATIC_ROOT", None) else []
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


def is_allowed(url: str) -> bool:
    """A `data:` URL, or a `file:` URL naming a file inside a static directory."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, ValueError):
        return False
    return any(path.is_relative_to(root) for root in _static_roots())


def url_fetcher():
    """A fresh fetcher for one rendering (WeasyPrint keeps request state on it): WeasyPrint's
    own, refusing anything `is_allowed` does not accept. WeasyPrint is imported here, not
    at start-up (1.4 s)."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if not is_allowed(url):
                raise ValueError(f"Refused to fetch {url!r}: only the portal's static files.")
            return super().fetch(url, headers)

    return StaticOnlyFetcher()
