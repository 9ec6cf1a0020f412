from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "micro.learning"
    label = "learning"
    verbose_name = "Operator e-learning"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from micro.learning.models import Cohort, Enrolment
        from micro.learning.permissions import cohorts_changed

        # Each user's cohorts are cached (permissions.cohort_memberships): any change is a new revision.
        for model in (Cohort, Enrolment):
            post_save.connect(cohorts_changed, sender=model, dispatch_uid=f"micro-cohorts-saved-{model.__name__}")
            post_delete.connect(cohorts_changed, sender=model, dispatch_uid=f"micro-cohorts-deleted-{model.__name__}")
        m2m_changed.connect(cohorts_changed, sender=Cohort.trainers.through, dispatch_uid="micro-cohort-trainers")
