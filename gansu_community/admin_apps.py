"""The Django admin app, configured to use the portal's admin site."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "gansu_community.admin.PortalAdminSite"
