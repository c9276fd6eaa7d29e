from django.urls import path

from teilhabe.surveys import views

app_name = "surveys"

urlpatterns = [
    path("c/<str:code>/", views.short_link, name="short_link"),
    path("<slug:slug>/", views.survey_start, name="start"),
    path("<slug:slug>/<str:lang>/", views.survey_form, name="form"),
    path("<slug:slug>/<str:lang>/danke/", views.thanks, name="thanks"),
]
