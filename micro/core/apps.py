from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "micro.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from micro.core.content_cache import content_changed

        post_save.connect(content_changed, dispatch_uid="micro-content-saved")
        post_delete.connect(content_changed, dispatch_uid="micro-content-deleted")
        m2m_changed.connect(content_changed, dispatch_uid="micro-content-links-changed")
