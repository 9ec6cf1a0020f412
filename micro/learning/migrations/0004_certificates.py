from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_cohort_pre_post_tests_self_assessment_and_survey")]

    operations: list[migrations.operations.base.Operation] = []
