from django.urls import path

from teilhabe.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.edition, name="edition"),
    path("<slug:slug>/kapitel/<str:theme>/", views.chapter, name="chapter"),
    path("<slug:slug>/methoden/", views.methods, name="methods"),
    path("<slug:slug>/bericht.pdf", views.pdf, name="pdf"),
]
