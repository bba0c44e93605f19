"""Sign-in, sign-out and the landing page that sends each role to its own scope."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy

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


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: every signed-in user changes their own password outside /admin/.

    Django's view checks the old password and ``AUTH_PASSWORD_VALIDATORS`` and keeps this
    session signed in; the new password's hash ends the user's other sessions, and the
    signal in ``accounts.signals`` ends their API tokens and writes 修改密码 to the audit log.
    """

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "密码已修改。其他设备上的登录和API令牌已失效，需用新密码重新登录。"
        )
        return response


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
