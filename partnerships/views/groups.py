from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from core.views import ServiceFormView, TableExportView, TenantViewMixin
from partnerships.forms.groups import GroupForm, GroupHostForm, GroupMemberForm
from partnerships.models import Group, GroupMember
from partnerships.selectors.groups import group_detail, group_members_table, groups_overview, groups_table
from partnerships.services.groups import (
    group_create,
    group_member_add,
    group_member_remove,
    group_set_host,
    group_update,
)


def _group_or_404(group_pk):
    return get_object_or_404(Group.objects.select_related("chair", "chair__school", "host_school"), pk=group_pk)


def _to_group(partnership, group):
    return redirect("groups:detail", partnership_slug=partnership.slug, group_pk=group.pk)


class GroupListView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/groups/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(groups_overview())
        return context


class GroupListExportView(TableExportView):
    """Every group the groups page lists, as CSV or XLSX."""

    permission_required = "view_governance"

    def export_table(self, **kwargs):
        return groups_table(groups_overview())

    def export_filename(self):
        return f"{self.partnership.slug}-groups"


class GroupDetailView(TenantViewMixin, TemplateView):
    permission_required = "view_governance"
    template_name = "partnerships/groups/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(group_detail(_group_or_404(kwargs["group_pk"])))
        context["can_manage"] = self.request.tenant.has("manage_governance")
        return context

    def lookup(self, **kwargs):
        return _group_or_404(kwargs["group_pk"])


class GroupMembersExportView(TableExportView):
    """A group's members as its page lists them, as CSV or XLSX."""

    permission_required = "view_governance"

    def lookup(self, **kwargs):
        return _group_or_404(kwargs["group_pk"])

    def export_table(self, **kwargs):
        self.group = self.lookup(**kwargs)
        return group_members_table(group_detail(self.group))

    def export_filename(self):
        return f"{self.partnership.slug}-{slugify(self.group.name) or 'group'}-members"


class GroupCreateView(ServiceFormView):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/form.html"
    form_class = GroupForm

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in Group.Kind.values else {}

    def perform(self, form):
        return group_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)

    def get_success_message(self, group):
        return f"{group.name} set up"

    def get_success_url(self, group):
        return self.tenant_url("groups:detail", group_pk=group.pk)


class _GroupFormView(ServiceFormView):
    """A form about one group of this partnership, named in the URL."""

    permission_required = "manage_governance"
    context_object_name = "group"

    def lookup(self, group_pk, **kwargs):
        return _group_or_404(group_pk)

    def get_success_url(self, result):
        return self.tenant_url("groups:detail", group_pk=self.object.pk)


class GroupChangeView(_GroupFormView):
    template_name = "partnerships/groups/form.html"
    form_class = GroupForm
    success_message = "{name} saved"

    def get_initial(self):
        return GroupForm.initial_for(self.object)

    def perform(self, form):
        group_update(actor=self.request.user, group=self.object, **form.cleaned_data)


class GroupHostView(_GroupFormView):
    template_name = "partnerships/groups/host.html"
    form_class = GroupHostForm

    def get_initial(self):
        return {"host_school": self.object.host_school_id}

    def perform(self, form):
        return group_set_host(actor=self.request.user, group=self.object, **form.cleaned_data)

    def get_success_message(self, group):
        where = group.host_school.name if group.host_school else "no school"
        return f"The next meeting of {group.name} is hosted by {where}"


class GroupMemberAddView(_GroupFormView):
    template_name = "partnerships/groups/member_add.html"
    form_class = GroupMemberForm

    def get_form_kwargs(self):
        existing = GroupMember.objects.filter(group=self.object).values_list("person_id", flat=True)
        return super().get_form_kwargs() | {"exclude_ids": list(existing)}

    def perform(self, form):
        return group_member_add(actor=self.request.user, group=self.object, person=form.cleaned_data["person"])

    def get_success_message(self, member):
        return f"{member.person.full_name} added to {self.object.name}"


class GroupMemberRemoveView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/member_remove.html"

    def _member(self, group_member_pk):
        return get_object_or_404(
            GroupMember.objects.select_related("group", "person", "person__school"), pk=group_member_pk
        )

    def get(self, request, *args, group_member_pk, **kwargs):
        return render(request, self.template_name, {"member": self._member(group_member_pk)})

    def post(self, request, *args, group_member_pk, **kwargs):
        member = self._member(group_member_pk)
        try:
            group_member_remove(actor=request.user, member=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{member.person.full_name} removed from {member.group.name}")
        return _to_group(self.partnership, member.group)
