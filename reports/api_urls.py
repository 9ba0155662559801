from rest_framework.routers import SimpleRouter

from reports.api import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="api-report")
urlpatterns = router.urls
