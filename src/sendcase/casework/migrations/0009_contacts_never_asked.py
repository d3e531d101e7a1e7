"""Family contacts made before 0007 were never asked about parental responsibility or how they
prefer to be contacted: the registration form wrote "yes" and the model's default "email" for
everyone (issue 12: the case page showed "Parental responsibility: Yes" and "Prefers: Email",
never asked). Those values become "not known" until an officer records them; notices still go to
them (core.notify sends to every current contact not known to lack parental responsibility)."""

from django.db import migrations


def forget_what_was_never_asked(apps, schema_editor):
    FamilyContact = apps.get_model("casework", "FamilyContact")
    FamilyContact.objects.update(parental_responsibility=None, preferred_contact="")


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_ceasing_route")]

    operations = [
        migrations.RunPython(forget_what_was_never_asked, migrations.RunPython.noop, elidable=True)
    ]
