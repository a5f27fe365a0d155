from django.urls import path

from accounts import views

urlpatterns = [
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
