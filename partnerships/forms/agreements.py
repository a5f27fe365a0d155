from django import forms

from core.forms import DateInput, Form
from partnerships.agreement_templates import TEMPLATE_CHOICES
from partnerships.models import SignatureBlock

K = SignatureBlock.Kind


class AgreementDraftForm(Form):
    error_phrases = {
        "template": "a starting template",
        "starts": "the date the agreement starts",
        "ends": "the date the agreement ends",
    }

    template = forms.ChoiceField(label="Starting template", choices=TEMPLATE_CHOICES, widget=forms.RadioSelect)
    title = forms.CharField(
        label="Title", required=False, max_length=200, help_text="Leave empty to use the template's title"
    )
    starts = forms.DateField(label="Starts", widget=DateInput, help_text="The first day in force")
    ends = forms.DateField(
        label="Ends", widget=DateInput, required=False, help_text="The last day in force; leave empty if it has no end"
    )


class AgreementSectionForm(Form):
    error_phrases = {"heading": "the section's heading", "text": "the section's text"}

    heading = forms.CharField(label="Heading", max_length=200)
    text = forms.CharField(
        label="Text",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text='Plain text. Leave a blank line between paragraphs, start a list item with "- " and put '
        "**two asterisks** around words in bold.",
    )


class AgreementTermForm(Form):
    error_phrases = {"starts": "the date the agreement starts", "ends": "the date the agreement ends"}

    starts = forms.DateField(label="Starts", widget=DateInput, help_text="The first day in force")
    ends = forms.DateField(
        label="Ends", widget=DateInput, required=False, help_text="The last day in force; leave empty if it has no end"
    )


class AgreementSignatoriesForm(Form):
    """Who signs: the roles that sign for each school and for the partnership, and any other party."""

    roles = forms.MultipleChoiceField(
        label="Who signs from the roles",
        required=False,
        choices=[(k, K(k).label) for k in (K.HEADTEACHER, K.CHAIR_OF_GOVERNORS, K.PARTNERSHIP_CHAIR)],
        widget=forms.CheckboxSelectMultiple,
        help_text="A school's headteacher and chair of governors sign each school's copy",
    )
    others = forms.CharField(
        label="Other parties that sign",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, as printed under the signature, for example: For the local authority's division",
    )

    @staticmethod
    def initial_for(blocks) -> dict:
        return {
            "roles": [b.kind for b in blocks if b.kind != K.OTHER],
            "others": "\n".join(b.label for b in blocks if b.kind == K.OTHER),
        }

    def blocks(self) -> list[tuple[str, str]]:
        chosen = [(kind, K(kind).label) for kind in self.cleaned_data["roles"]]
        others = [line.strip() for line in self.cleaned_data["others"].splitlines() if line.strip()]
        return chosen + [(K.OTHER, label) for label in others]


class ConfirmForm(Form):
    """A button that confirms: nothing to fill in."""


class SignForm(Form):
    """Signing one block: the full name typed, the agreement ticked, and the password (or, for someone
    with two-factor authentication, the code their app shows) entered at that moment."""

    error_phrases = {
        "name": "your full name",
        "password": "your password",
        "code": "the code from your app",
        "document_sha256": "the fingerprint of the document you read",
    }

    name = forms.CharField(
        label="Your full name", max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    agreed = forms.BooleanField(label="I agree", required=False)
    password = forms.CharField(
        label="Your password",
        required=False,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you sign in with: it shows that it is you who signs",
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="It shows that it is you who signs",
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, agree_label: str = "", uses_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if agree_label:
            self.fields["agreed"].label = agree_label
        del self.fields["password" if uses_code else "code"]
