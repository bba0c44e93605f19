"""The API's token check (django-rest-knox), kept apart so that settings can name it.

DRF reads ``DEFAULT_AUTHENTICATION_CLASSES`` when ``APIView`` is defined: this module imports
no view.
"""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

INVALID = "令牌无效或已过期，请重新登录获取新令牌。"


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check with the portal's Chinese answer for a bad or expired token."""

    def authenticate_credentials(self, token):
        try:
            return super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed(INVALID) from None

    def validate_user(self, auth_token):
        if not auth_token.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        return (auth_token.user, auth_token)
