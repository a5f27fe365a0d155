"""What a school's copy page offers its reader for signing on paper, from the one rule of each
(partnerships.selectors.paper): the copy's page is another module's, so it asks here."""

from dataclasses import dataclass

from django import template

from partnerships.selectors.paper import scan_check_refusal, scan_upload_refusal

register = template.Library()


@dataclass(frozen=True)
class PaperSigning:
    may_upload: bool
    may_check: bool


@register.simple_tag(takes_context=True)
def paper_signing(context, copy) -> PaperSigning:
    """{% paper_signing copy as paper %}: may the reader upload the scan of `copy`, or check it?"""
    user = context["request"].user
    return PaperSigning(
        may_upload=not scan_upload_refusal(user, copy),
        may_check=not scan_check_refusal(user, copy),
    )
