from django.contrib import admin

from partnerships.models import Membership, Partnership, RoleAssignment
from partnerships.services.partnerships import partnership_prepare


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new partnership gets its constitution and term dates, as partnership_create gives
            partnership_prepare(partnership=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["school", "partnership", "joined", "left"]
    list_filter = ["partnership"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "partnership", "start", "end"]
    list_filter = ["partnership", "role"]
    # Roles change through the service (validated and audited); the admin only reads them.
    readonly_fields = [f.name for f in RoleAssignment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
