from __future__ import annotations

from django.http import Http404
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from convergence.web.public_cache import cached_public

from .models import Call


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    description = serializers.DictField(child=serializers.CharField())


class FormatOutput(ItemOutput):
    number = serializers.IntegerField()
    hosts_competition = serializers.BooleanField()


class CriterionOutput(ItemOutput):
    number = serializers.IntegerField()


class MilestoneOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    when = serializers.DictField(child=serializers.CharField())


class CallOutput(serializers.ModelSerializer):
    themes = ItemOutput(many=True)
    priority_domains = ItemOutput(many=True, source="domains")
    formats = FormatOutput(many=True)
    criteria = CriterionOutput(many=True)
    milestones = MilestoneOutput(many=True)
    is_open = serializers.BooleanField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "languages",
            "title",
            "tagline",
            "purpose",
            "audience",
            "timezone",
            "opens_at",
            "closes_at",
            "is_open",
            "summary_max_length",
            "max_themes",
            "minimum_criteria",
            "additional_examination",
            "trl_scale",
            "themes",
            "priority_domains",
            "formats",
            "criteria",
            "milestones",
            "faq",
        ]


class CallListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CallOutput
    queryset = Call.objects.filter(is_published=True).prefetch_related(
        "themes", "domains", "formats", "criteria", "milestones"
    )


class CallDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = CallOutput
    lookup_field = "slug"
    queryset = CallListApi.queryset

    def retrieve(self, request, *args, **kwargs):
        # Read by every applicant's client on deadline night: serialised once per change of the call.
        slug = kwargs["slug"]

        def build() -> dict | None:
            call = self.get_queryset().filter(slug=slug).first()
            if call is None:
                return None
            return {"data": CallOutput(call).data, "opens_at": call.opens_at, "closes_at": call.closes_at}

        cached = cached_public("calls", f"api:{slug}", build)
        if cached is None:
            raise Http404
        # Open or not is a matter of the moment, not of the cached content.
        window = Call(opens_at=cached["opens_at"], closes_at=cached["closes_at"])
        return Response({**cached["data"], "is_open": window.is_open})
