"""Factories for accounts: users, signed in with PASSWORD and with a verified email address.

Invitations are made through partnerships.services.invitations.invitation_create, as a coordinator would.
"""

import factory
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import User

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


def signed_in(user) -> Client:
    """A test client with `user` signed in (as the `client_for` fixture gives)."""
    client = Client()
    client.force_login(user)
    return client
