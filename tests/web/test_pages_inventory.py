"""Every view of the site is either a page in convergence.web.pages.PAGES (visited by the browser test) or listed
in NOT_PAGES with the reason it is not a page."""

from django.urls import URLPattern, URLResolver, get_resolver

from convergence.web.pages import NOT_PAGES, PAGES

# Django's admin and the API have their own tests and are not pages of the site.
OUTSIDE_THE_SITE = ("admin:", "api:")


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner.startswith(OUTSIDE_THE_SITE) or str(pattern.pattern).startswith("api/v1/"):
                continue
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def page_url_names() -> set[str]:
    return _names(get_resolver())


def test_every_view_is_a_listed_page_or_a_listed_non_page():
    listed = {page.url_name for page in PAGES} | set(NOT_PAGES)
    unlisted = page_url_names() - listed
    assert not unlisted, f"add these to PAGES or NOT_PAGES in convergence/web/pages.py: {sorted(unlisted)}"


def test_nothing_listed_that_does_not_exist():
    listed = {page.url_name for page in PAGES} | set(NOT_PAGES)
    assert not listed - page_url_names()
