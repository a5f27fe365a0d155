from django.urls import path

from partnerships.views import invitations as views

urlpatterns = [
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
