from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sendcase.documents"
    label = "documents"
    verbose_name = "Documents, letters and correspondence"
