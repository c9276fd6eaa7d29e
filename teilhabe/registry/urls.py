from django.urls import path

from teilhabe.registry import views, views_corrections

app_name = "registry"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("neu/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.case_edit, name="edit"),
    path("<int:pk>/feldgruppen/<slug:group>/", views.fieldgroup_edit, name="fieldgroup"),
    path("<int:pk>/ereignisse/neu/", views.event_add, name="event_add"),
    path("<int:pk>/ziele/neu/", views.goal_edit, name="goal_add"),
    path("<int:pk>/ziele/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path("<int:pk>/export.json", views.case_export, name="export"),
    path("<int:pk>/drucken/", views.case_print, name="print"),
    path("<int:pk>/uebermitteln/", views.transmission_create, name="transmit"),
    path("<int:pk>/einwilligungen/neu/", views.consent_create, name="consent_add"),
    path("<int:pk>/zugriffe/", views.access_history, name="history"),
    path("<int:pk>/betroffenenrechte/", views.case_rights, name="rights"),
    path("<int:pk>/auskunft/", views.access_report, name="access_report"),
    path("<int:pk>/auskunft.json", views.access_report, {"as_json": True}, name="access_report_json"),
    path("<int:pk>/auskunft.pdf", views.access_report, {"as_pdf": True}, name="access_report_pdf"),
    path("einwilligungen/<int:pk>/widerrufen/", views.consent_withdraw, name="consent_withdraw"),
    path("uebermittlungen/", views.transmissions, name="transmissions"),
    path("kohorten/", views.cohorts, name="cohorts"),
    path("api-zugang/", views.api_tokens, name="api_tokens"),
    path("azr-ermaechtigungen/", views.azr_authorisations, name="azr_authorisations"),
    path("azr-ermaechtigungen/<int:pk>/erteilen/", views.azr_authorisation_grant, name="azr_grant"),
    path("azr-ermaechtigungen/<int:pk>/widerrufen/", views.azr_authorisation_revoke, name="azr_revoke"),
    path("auskunftsersuchen/", views.access_requests, name="access_requests"),
    path("uebermittlungen/<int:pk>/", views.outgoing_detail, name="outgoing"),
    path("uebermittlungen/<int:pk>/kopie/", views.incoming_detail, name="incoming"),
    path("uebermittlungen/<int:pk>/freigeben/", views.transmission_approve, name="approve"),
    path("uebermittlungen/<int:pk>/ablehnen/", views.transmission_reject, name="reject"),
    path("uebermittlungen/<int:pk>/widerrufen/", views_corrections.transmission_revoke, name="revoke"),
    path("<int:pk>/loeschen/", views_corrections.case_erase, name="erase"),
    path("<int:pk>/ereignisse/<int:event_pk>/berichtigen/", views_corrections.event_correct, name="event_correct"),
    path("<int:pk>/ereignisse/<int:event_pk>/zurueckziehen/", views_corrections.event_withdraw, name="event_withdraw"),
    path("mitteilungen-eingang/", views_corrections.recipient_notices, name="recipient_notices"),
    path("mitteilungen/<int:pk>/erledigt/", views.notice_done, name="notice_done"),
]
