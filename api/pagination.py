from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=N (50 a page; ?page_size= up to 500), with count and next/previous links.

    A page that is not a whole number is a 400 that says so; a page past the last, a 404.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is None or (name == self.page_query_param and value == "last"):
                continue
            if not (value.isascii() and value.isdigit() and 0 < int(value) < 10**9):
                raise ValidationError({name: [_("A whole number from 1 is expected.")]})
        return super().paginate_queryset(queryset, request, view)
