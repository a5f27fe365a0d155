"""One page size and one way to read ?page= for every list in the app."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a missing, bad or too large ?page= gives the nearest real page, never an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
