"""The Joint Annual Review pages. A review is read by the school's own people and the coordinator
(subscriptions.selectors.may_read_review); to anyone else it does not exist (404). The school's adviser
drafts, revises, sends and submits it; only the school's headteacher confirms or returns it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from core.forms import Form
from core.views import ServiceFormView, TableExportView, TenantViewMixin, row_id
from partnerships.calendar import academic_year_label
from subscriptions.forms import ReviewDraftForm, ReviewForm, ReviewReturnForm
from subscriptions.models import Review, ReviewEvent
from subscriptions.selectors import (
    advised_school_ids,
    is_school_head,
    may_draft_review,
    may_read_review,
    reviews_readable,
    reviews_table,
)
from subscriptions.services.reviews import (
    review_confirm,
    review_draft,
    review_read,
    review_return,
    review_revise,
    review_send,
    review_submit,
)
from subscriptions.views.credits import AdvisedSchoolsMixin, _this_year


class ReviewsView(TenantViewMixin, TemplateView):
    template_name = "subscriptions/reviews.html"

    def get_context_data(self, **kwargs):
        tenant = self.request.tenant
        return super().get_context_data(**kwargs) | {
            "reviews": reviews_readable(tenant),
            "advises": bool(advised_school_ids(tenant)),
        }


class ReviewsExportView(TableExportView):
    """The Joint Annual Reviews the reader may read, as the page lists them, as CSV or XLSX."""

    def export_table(self, **kwargs):
        return reviews_table(reviews_readable(self.request.tenant))

    def export_filename(self):
        return f"{self.partnership.slug}-joint-annual-reviews"


class ReviewNewView(AdvisedSchoolsMixin, ServiceFormView):
    template_name = "subscriptions/review_form.html"
    form_class = ReviewDraftForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"year_label": academic_year_label(_this_year())}

    def perform(self, form):
        return review_draft(
            actor=self.request.user, partnership=self.partnership, year=_this_year(), **form.cleaned_data
        )

    def get_success_message(self, review):
        return f"Joint Annual Review for {review.school.name} drafted"

    def get_success_url(self, review):
        return self.tenant_url("subscriptions:review", review_pk=review.pk)


class _ReviewMixin:
    context_object_name = "review"

    def review(self, review_pk) -> Review:
        review = get_object_or_404(
            Review.objects.select_related("school", "adviser", "partnership"), pk=row_id(review_pk)
        )
        if not may_read_review(self.request.tenant, review):
            raise Http404("This school's reviews are not shared with you")
        return review

    def get_success_url(self, review):
        return self.tenant_url("subscriptions:review", review_pk=review.pk)


class ReviewView(_ReviewMixin, ServiceFormView):
    """GET: the review's state, history and actions, and a button that opens its text; POST: the text,
    its reading recorded (a review is confidential; a GET never writes). With htmx the button is pressed
    as the page loads, so a reader sees the text at once and the reading is still on the record."""

    template_name = "subscriptions/review.html"
    form_class = Form  # nothing to fill in: the button asks to read

    def lookup(self, **kwargs):
        return self.review(kwargs["review_pk"])

    def get_context_data(self, **kwargs):
        review = self.object
        tenant = self.request.tenant
        return super().get_context_data(**kwargs) | {
            "events": list(ReviewEvent.objects.filter(review=review).select_related("by").order_by("at", "pk")),
            "drafts": may_draft_review(tenant, review),
            "is_head": is_school_head(tenant, review.school_id),
            "S": Review.State,
            "year_label": academic_year_label(review.year),
        }

    def perform(self, form):
        return review_read(actor=self.request.user, review=self.object)

    def success_response(self, result):
        return self.render_to_response(self.get_context_data(reading=True))


class _AdviserActionView(_ReviewMixin, ServiceFormView):
    def lookup(self, **kwargs):
        review = self.review(kwargs["review_pk"])
        if not may_draft_review(self.request.tenant, review):
            raise PermissionDenied("Only the school's adviser drafts, sends and submits its review")
        return review


class _HeadActionView(_ReviewMixin, ServiceFormView):
    def lookup(self, **kwargs):
        review = self.review(kwargs["review_pk"])
        if not is_school_head(self.request.tenant, review.school_id):
            raise PermissionDenied("Only the school's headteacher confirms or returns its review")
        return review


class ReviewEditView(_AdviserActionView):
    template_name = "subscriptions/review_form.html"
    form_class = ReviewForm
    success_message = "Review saved"

    def get_initial(self):
        r = self.object
        return {"summary": r.summary, "ks1": r.ks1, "ks2": r.ks2, "ks4": r.ks4, "ks5": r.ks5}

    def perform(self, form):
        return review_revise(actor=self.request.user, review=self.object, **form.cleaned_data)


class ReviewSendView(_AdviserActionView):
    template_name = "subscriptions/review_action.html"
    form_class = Form
    extra_context = {"action": "send"}

    def perform(self, form):
        return review_send(actor=self.request.user, review=self.object)

    def get_success_message(self, review):
        return f"Review sent to the headteacher of {review.school.name}"


class ReviewSubmitView(_AdviserActionView):
    template_name = "subscriptions/review_action.html"
    form_class = Form
    extra_context = {"action": "submit"}
    success_message = "Review submitted"

    def perform(self, form):
        return review_submit(actor=self.request.user, review=self.object)


class ReviewConfirmView(_HeadActionView):
    template_name = "subscriptions/review_action.html"
    form_class = Form
    extra_context = {"action": "confirm"}
    success_message = "Review confirmed"

    def perform(self, form):
        return review_confirm(actor=self.request.user, review=self.object)


class ReviewReturnView(_HeadActionView):
    template_name = "subscriptions/review_action.html"
    form_class = ReviewReturnForm
    extra_context = {"action": "return"}
    success_message = "Review returned to the adviser with your comments"

    def perform(self, form):
        return review_return(actor=self.request.user, review=self.object, **form.cleaned_data)
