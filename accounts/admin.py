from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import ApiToken, User
from accounts.services.tokens import user_tokens_revoke

# The product's tokens are accounts.ApiToken (hashed, expiring); DRF's table is no longer read.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)

# A change to any of these ends the user's API tokens (accounts.services.tokens).
_ACCESS_FIELDS = {"password", "is_active", "is_superuser", "is_staff", "groups", "vendor"}


@admin.register(User)
class ProductUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Vendor", {"fields": ("vendor",)}))
    list_display = ("username", "email", "vendor", "is_staff", "is_active")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and _ACCESS_FIELDS & set(form.changed_data):
            user_tokens_revoke(user=form.instance)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked (deleted) here, never made or edited."""

    list_display = ("prefix", "user", "created", "last_used", "expires")
    list_select_related = ("user",)
    search_fields = ("user__username", "prefix")
    readonly_fields = ("user", "prefix", "created", "last_used", "expires")
    exclude = ("digest", "credentials")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
