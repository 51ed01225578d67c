from __future__ import annotations

from django.http import Http404
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from convergence.web.public_cache import cached_public

from .models import Call
from .selectors import call_to_show


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
        # Read by every applicant's client on deadline night: the call comes from the public cache and is
        # serialised once per change; whether it is open is a matter of the moment, not of the cache.
        call = call_to_show(kwargs["slug"])
        if call is None:
            raise Http404
        data = cached_public("calls", f"api:{call.slug}", lambda: CallOutput(call).data)
        return Response({**data, "is_open": call.is_open})
