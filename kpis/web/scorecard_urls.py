"""The vendor scorecard page, mounted under the vendors' URLs (/vendors/) by config/urls.py:
the vendors app does not know of it."""

from django.urls import path

from kpis.web.scorecard import vendor_scorecard_page

urlpatterns = [
    path("<int:pk>/scorecard/", vendor_scorecard_page, name="vendor-scorecard"),
]
