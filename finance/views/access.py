"""The finance pages' one permission check on top of the partnership permission each page names."""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property

from finance.selectors import FinanceAccess, finance_access
from partnerships.selectors.constitution import constitution_of


class FinanceAccessMixin:
    """`self.access` is the viewer's FinanceAccess; `records_money = True` pages answer 403 to anyone
    who may not record (the coordinator and the banker school's finance officer may)."""

    records_money = False

    @cached_property
    def constitution(self):
        return constitution_of(self.partnership)

    @cached_property
    def access(self) -> FinanceAccess:
        return finance_access(self.request.tenant, self.constitution)

    def dispatch(self, request, *args, **kwargs):
        self.partnership = getattr(request, "partnership", None)
        if self.partnership is not None and request.tenant.has(self.permission_required):
            if self.records_money and not self.access.may_record:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"access": self.access}
