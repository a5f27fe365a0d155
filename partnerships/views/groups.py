from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from core.forms import apply_service_errors
from core.views import TenantViewMixin
from partnerships.forms.groups import GroupForm, GroupHostForm, GroupMemberForm
from partnerships.models import Group, GroupMember
from partnerships.selectors.groups import group_detail, groups_overview
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


class GroupCreateView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/form.html"

    def get(self, request, *args, **kwargs):
        initial = {}
        if request.GET.get("kind") in Group.Kind.values:
            initial["kind"] = request.GET["kind"]
        form = GroupForm(initial=initial)
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = group_create(actor=request.user, partnership=self.partnership, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{group.name} set up")
                return _to_group(self.partnership, group)
        return render(request, self.template_name, {"form": form}, status=400)


class GroupChangeView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/form.html"

    def get(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        form = GroupForm(initial=GroupForm.initial_for(group))
        return render(request, self.template_name, {"form": form, "group": group})

    def post(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group_update(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} saved")
                return _to_group(self.partnership, group)
        return render(request, self.template_name, {"form": form, "group": group}, status=400)


class GroupHostView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/host.html"

    def get(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        form = GroupHostForm(initial={"host_school": group.host_school_id})
        return render(request, self.template_name, {"form": form, "group": group})

    def post(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        form = GroupHostForm(request.POST)
        if form.is_valid():
            try:
                group = group_set_host(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                where = group.host_school.name if group.host_school else "no school"
                messages.success(request, f"The next meeting of {group.name} is hosted by {where}")
                return _to_group(self.partnership, group)
        return render(request, self.template_name, {"form": form, "group": group}, status=400)


class GroupMemberAddView(TenantViewMixin, View):
    permission_required = "manage_governance"
    template_name = "partnerships/groups/member_add.html"

    def _form(self, group, data=None):
        existing = GroupMember.objects.filter(group=group).values_list("person_id", flat=True)
        return GroupMemberForm(data, exclude_ids=list(existing))

    def get(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        return render(request, self.template_name, {"form": self._form(group), "group": group})

    def post(self, request, *args, group_pk, **kwargs):
        group = _group_or_404(group_pk)
        form = self._form(group, request.POST)
        if form.is_valid():
            try:
                member = group_member_add(actor=request.user, group=group, person=form.cleaned_data["person"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{member.person.full_name} added to {group.name}")
                return _to_group(self.partnership, group)
        return render(request, self.template_name, {"form": form, "group": group}, status=400)


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
