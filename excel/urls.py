"""Portal routes under /excel/: templates, exports, imports and the compliance report."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.excel_home, name="excel-home"),
    path("report/compliance.xlsx", views.report_compliance, name="report-compliance"),
    path("templates/<slug:resource>.xlsx", views.template_download, name="excel-template"),
    path("export/<slug:resource>.xlsx", views.export_download, name="excel-export"),
    path("import/<slug:resource>/", views.import_page, name="excel-import"),
]
