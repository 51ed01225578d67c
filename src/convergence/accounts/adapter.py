from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language

from convergence.web.navigation import landing_url


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Emails (receipts, later decisions) follow the language the person signed up in.
        user.preferred_language = "en" if (get_language() or "").startswith("en") else "fr"
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # allauth follows a `next` address first (a link from an e-mail); otherwise each role lands on its own work.
        return landing_url(request.user)
