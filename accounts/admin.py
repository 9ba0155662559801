from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class ProductUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Vendor", {"fields": ("vendor",)}))
    list_display = ("username", "email", "vendor", "is_staff", "is_active")
