"""API tokens (django-rest-knox): ``Authorization: Token …`` that expire and can be revoked.

A token lives ``API_TOKEN_IDLE_MINUTES`` (30) after its last use and never longer than
``API_TOKEN_MAX_HOURS`` (12) after it was issued (``REST_KNOX`` in settings). Each login issues
a new one; ``auth/logout/`` ends the one in use, a portal logout or a password change ends all
of the user's tokens (``accounts.signals``). A user lists and revokes their own tokens at
``auth/tokens/``. Only a digest of each token is stored.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.audit import audit

from .authentication import TokenAuthentication


def token_issue(user) -> str:
    """Issue a new token for ``user`` and return it (shown once, stored as a digest)."""
    _, token = AuthToken.objects.create(user=user)
    return token


def tokens_end(user) -> int:
    """End every token of ``user``; return how many there were."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )


class TokenInfo(serializers.Serializer):
    token_key = serializers.CharField(help_text="令牌的前几位，用于辨认和注销；不能用来登录。")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(help_text="是否为本次请求所用的令牌。")


def _info(token, current) -> dict:
    return {
        "token_key": token.token_key,
        "created": token.created,
        "expiry": token.expiry,
        "current": current is not None and token.digest == current.digest,
    }


class TokenLogoutView(APIView):
    """End the token this request was made with (a session request: all of the user's tokens)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(request=None, responses={204: None}, summary="注销当前令牌")
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
            ended = 1
        else:
            ended = tokens_end(request.user)
        audit(
            action="logout", user=request.user, request=request._request, detail={"tokens": ended}
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The user's own tokens: when each was issued and when it expires."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(responses={200: TokenInfo(many=True)}, summary="我的令牌")
    def get(self, request):
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
        return Response(
            [
                _info(t, request.auth if isinstance(request.auth, AuthToken) else None)
                for t in tokens
            ]
        )


class TokenRevokeView(APIView):
    """Revoke one of the user's own tokens by its key (someone else's answers 404)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        request=None,
        responses={
            204: None,
            404: inline_serializer("TokenMissing", {"detail": serializers.CharField()}),
        },
        summary="注销我的一个令牌",
    )
    def delete(self, request, token_key):
        deleted, _ = AuthToken.objects.filter(user=request.user, token_key=token_key).delete()
        if not deleted:
            raise exceptions.NotFound("没有这个令牌。")
        audit(
            action="token_revoke",
            user=request.user,
            request=request._request,
            detail={"token_key": token_key},
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
