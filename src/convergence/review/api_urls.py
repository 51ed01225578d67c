from django.urls import path

from . import api, api_experts

urlpatterns = [
    path("committee/assignments/", api.MemberAssignmentsApi.as_view(), name="committee-assignments"),
    path("committee/assignments/<int:assignment_id>/", api.MemberAssignmentApi.as_view(), name="committee-assignment"),
    path("committee/assignments/<int:assignment_id>/review/", api.MemberReviewApi.as_view(), name="committee-review"),
    path("selection/<slug:slug>/eligibility/", api.EligibilityApi.as_view(), name="selection-eligibility"),
    path(
        "selection/<slug:slug>/eligibility/<int:application_id>/",
        api.EligibilityOverrideApi.as_view(),
        name="selection-eligibility-override",
    ),
    path("selection/<slug:slug>/assignment/", api.AssignmentRunApi.as_view(), name="selection-assignment"),
    path("selection/<slug:slug>/ranking/", api.RankingApi.as_view(), name="selection-ranking"),
    path("selection/<slug:slug>/publish/", api.PublishApi.as_view(), name="selection-publish"),
    path("selection/decisions/<int:application_id>/", api.DecisionApi.as_view(), name="selection-decision"),
    path("applications/<int:pk>/decision/", api.ApplicantDecisionApi.as_view(), name="application-decision"),
    path("applications/<int:pk>/experts/", api_experts.DossierExpertsApi.as_view(), name="dossier-experts"),
    path(
        "applications/<int:pk>/experts/<int:invitation_id>/revoke/",
        api_experts.DossierExpertRevokeApi.as_view(),
        name="dossier-expert-revoke",
    ),
    path("expertises/", api_experts.ExpertInvitationsApi.as_view(), name="expertises"),
    path("expertises/<int:invitation_id>/", api_experts.ExpertInvitationApi.as_view(), name="expertise"),
    path(
        "expertises/<int:invitation_id>/declaration/",
        api_experts.ExpertDeclarationApi.as_view(),
        name="expertise-declaration",
    ),
    path("expertises/<int:invitation_id>/opinion/", api_experts.ExpertOpinionApi.as_view(), name="expertise-opinion"),
]
