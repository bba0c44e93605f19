"""Login forms of the portal and the Django admin: password, then the dynamic password."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .otp import second_factor_check


class SecondFactorMixin:
    """Adds the 动态口令 field and checks it once the password has been accepted."""

    admin_site = False

    def add_otp_field(self):
        self.fields["otp"] = forms.CharField(
            label="动态口令",
            required=False,
            max_length=16,
            help_text="管理员和民政干部须填写身份验证器中的6位数字。",
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        device = second_factor_check(
            user, self.data.get("otp"), request=self.request, admin_site=self.admin_site
        )
        self.otp_device = device
        if device is not None and self.request is not None:
            # accounts.signals marks the new session verified once the login has happened.
            self.request.otp_verified_device = device


class LoginForm(SecondFactorMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_otp_field()


class AdminLoginForm(SecondFactorMixin, AdminAuthenticationForm):
    admin_site = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_otp_field()
