from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.contrib.auth import password_validation

from core.forms import Form, GovukErrorsMixin


class AcceptInvitationForm(Form):
    full_name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password",
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match")
        elif p1:
            from accounts.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


# --- Sign-in and password forms from django-allauth, with GOV.UK messages -------------------------
# allauth's own forms answer "This field is required." like any Django form; the settings
# (ACCOUNT_FORMS, MFA_FORMS) point allauth at these, which name the missing answer instead.


class LoginForm(GovukErrorsMixin, account_forms.LoginForm):
    error_phrases = {"login": "your email address", "password": "your password"}


class ReauthenticateForm(GovukErrorsMixin, account_forms.ReauthenticateForm):
    error_phrases = {"password": "your password"}


class ResetPasswordForm(GovukErrorsMixin, account_forms.ResetPasswordForm):
    error_phrases = {"email": "your email address"}


_NEW_PASSWORD = {"password1": "a new password", "password2": "the new password again"}


class ResetPasswordKeyForm(GovukErrorsMixin, account_forms.ResetPasswordKeyForm):
    error_phrases = _NEW_PASSWORD


class ChangePasswordForm(GovukErrorsMixin, account_forms.ChangePasswordForm):
    error_phrases = {"oldpassword": "your current password", **_NEW_PASSWORD}


class SetPasswordForm(GovukErrorsMixin, account_forms.SetPasswordForm):
    error_phrases = _NEW_PASSWORD


_CODE = {"code": "the code from your authenticator app"}


class AuthenticateForm(GovukErrorsMixin, mfa_forms.AuthenticateForm):
    error_phrases = _CODE


class MfaReauthenticateForm(GovukErrorsMixin, mfa_forms.ReauthenticateForm):
    error_phrases = _CODE


class ActivateTOTPForm(GovukErrorsMixin, totp_forms.ActivateTOTPForm):
    error_phrases = _CODE
