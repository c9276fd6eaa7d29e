from django.urls import path

from teilhabe.regions import staff_views

app_name = "regions_staff"
urlpatterns = [
    path("", staff_views.planungsraum_list, name="planungsraeume"),
    path("neu/", staff_views.planungsraum_create, name="planungsraum_create"),
    path("<int:pk>/", staff_views.planungsraum_edit, name="planungsraum_edit"),
]
