from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=512)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenApi(APIView):
    """Exchange an email and a password for an API token (rate limited like the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(request=TokenInput, responses={200: TokenOutput}, auth=[])
    def post(self, request):
        payload = TokenInput(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(
            request._request, email=payload.validated_data["email"].lower(), password=payload.validated_data["password"]
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": str(_("Unknown email or wrong password.")), "code": "invalid_credentials"},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
