"""Sign-in, sign-out and the landing page that sends each role to its own scope."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from core.scoping import CODE_LENGTHS, user_scope_code


class LoginView(auth_views.LoginView):
    """登录: Django's login view with the portal's template; signed-in users go home."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_form_class(self):
        from .forms import LoginForm

        return LoginForm


class LogoutView(auth_views.LogoutView):
    """退出: by POST only (Django's default), then back to the login page."""


def home(request):
    """Send the user to the page of their own scope (community staff to their community)."""
    scope = user_scope_code(request.user)
    if scope is None:
        role = getattr(request.user, "role", None)
        if request.user.is_authenticated and role == "security":
            return redirect("admin:accounts_user_changelist")
        if request.user.is_authenticated and role == "auditor":
            return redirect("admin:accounts_auditlog_changelist")
        return redirect("login")
    if len(scope) == CODE_LENGTHS["community"]:
        return redirect("community-detail", scope)
    return redirect("dashboard", scope)
