"""Pages of the vendors app (included at the site root; the API lives under /api/v1/)."""

from django.urls import path

from vendors.web.views import events_pages, proposals_pages, vendors_pages

urlpatterns = [
    path("vendors/", vendors_pages.vendor_index, name="vendor-index"),
    path("vendors/new/", vendors_pages.vendor_new, name="vendor-new"),
    path("vendors/me/", vendors_pages.vendor_profile, name="vendor-profile"),
    path("vendors/<int:pk>/", vendors_pages.vendor_detail, name="vendor-detail"),
    path("vendors/<int:pk>/edit/", vendors_pages.vendor_edit, name="vendor-edit"),
    path("events/", events_pages.event_index, name="event-index"),
    path("events/new/", events_pages.event_new, name="event-new"),
    path("events/<int:pk>/", events_pages.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events_pages.event_edit, name="event-edit"),
    path("events/<int:pk>/open/", events_pages.event_open_view, name="event-open"),
    path("portal/events/<int:pk>/", proposals_pages.portal_event, name="portal-event"),
    path(
        "portal/events/<int:event_pk>/propose/",
        proposals_pages.proposal_new,
        name="proposal-new",
    ),
    path("proposals/", proposals_pages.proposal_index, name="proposal-index"),
    path("proposals/<int:pk>/", proposals_pages.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", proposals_pages.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<int:pk>/withdraw/",
        proposals_pages.proposal_withdraw_view,
        name="proposal-withdraw",
    ),
    path("proposals/<int:pk>/rate/", proposals_pages.proposal_rate, name="proposal-rate"),
]
