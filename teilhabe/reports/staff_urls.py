from django.urls import path

from teilhabe.reports import preview_views, staff_views

app_name = "reports_staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("reihen/<int:pk>/ausgabe-neu/", staff_views.edition_create, name="edition_create"),
    path("ausgaben/<int:pk>/", staff_views.edition_detail, name="edition"),
    path("ausgaben/<int:pk>/bearbeiten/", staff_views.edition_edit, name="edition_edit"),
    path("ausgaben/<int:pk>/erstellen/", staff_views.build_create, name="build_create"),
    path("ausgaben/<int:pk>/veroeffentlichen/", staff_views.edition_publish, name="edition_publish"),
    path("ausgaben/<int:pk>/vorschau/", preview_views.preview_edition, name="preview_edition"),
    path("ausgaben/<int:pk>/vorschau/kapitel/<str:theme>/", preview_views.preview_chapter, name="preview_chapter"),
    path("ausgaben/<int:pk>/vorschau/methoden/", preview_views.preview_methods, name="preview_methods"),
    path("ausgaben/<int:pk>/vorschau/bericht.pdf", preview_views.preview_pdf, name="preview_pdf"),
    path("kapitel/<int:pk>/", staff_views.chapter_edit, name="chapter"),
    path("laeufe/<int:pk>/status/", staff_views.build_status, name="build_status"),
    path("laeufe/<int:pk>/pdf/", staff_views.build_pdf, name="build_pdf"),
]
