from django import forms

from core.forms import Form
from partnerships.models import Interest, InterestDeclaration

ROWS = 6


class DeclarationForm(Form):
    """A yearly declaration: "nothing to declare", or up to six interests (kind and description)."""

    has_interests = forms.ChoiceField(
        label="Do you have any interests to declare?",
        error_messages={"required": "Select yes if you have any interests to declare, or no if you have none"},
        choices=[("no", "No, I have nothing to declare"), ("yes", "Yes, I have interests to declare")],
        widget=forms.RadioSelect,
        help_text="For example a business you own or work for that may supply the partnership, or a close "
        "relative employed by a member school",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label="Kind of interest",
                required=False,
                choices=[("", "Choose")] + list(Interest.Kind.choices),
            )
            self.fields[f"description_{i}"] = forms.CharField(label="Description", required=False, max_length=300)

    @classmethod
    def initial_from(cls, declaration: InterestDeclaration | None) -> dict:
        """Start from the previous declaration, so a person only changes what has changed."""
        if declaration is None:
            return {}
        initial = {"has_interests": "no" if declaration.nothing_to_declare else "yes"}
        for i, interest in enumerate(list(declaration.interests.all())[:ROWS], start=1):
            initial[f"kind_{i}"] = interest.kind
            initial[f"description_{i}"] = interest.description
        return initial

    def rows(self):
        return [(i, self[f"kind_{i}"], self[f"description_{i}"]) for i in range(1, ROWS + 1)]

    def clean(self):
        data = super().clean()
        interests = []
        for i in range(1, ROWS + 1):
            kind, description = data.get(f"kind_{i}", ""), (data.get(f"description_{i}") or "").strip()
            if f"description_{i}" in self.errors or f"kind_{i}" in self.errors:
                continue
            if description and not kind:
                self.add_error(f"kind_{i}", f"Choose whether interest {i} is pecuniary or other")
            elif kind and not description:
                self.add_error(f"description_{i}", f"Describe interest {i}")
            elif kind and description:
                interests.append((kind, description))
        data["interests"] = interests
        data["nothing_to_declare"] = data.get("has_interests") == "no"
        return data

    def declaration(self) -> dict:
        return {
            "nothing_to_declare": self.cleaned_data["nothing_to_declare"],
            "interests": self.cleaned_data["interests"],
        }
