"""Places booked before the register: a row for each place, named from the booking's "who is coming"
(one name a line, where the lines fit the places; otherwise all of it on the first place), and ticked
for as many places as the number recorded as attended."""

from django.db import migrations


def register_rows(apps, schema_editor):
    EventPlaces = apps.get_model("subscriptions", "EventPlaces")
    EventAttendee = apps.get_model("subscriptions", "EventAttendee")
    rows = []
    for booking in EventPlaces.objects.filter(status="booked").iterator():
        lines = [line.strip()[:150] for line in booking.attendees.splitlines() if line.strip()]
        if len(lines) > booking.places:
            lines = [" ".join(lines)[:150]]
        came = booking.attended or 0
        for position in range(1, booking.places + 1):
            name = lines[position - 1] if position <= len(lines) else ""
            rows.append(EventAttendee(places=booking, position=position, name=name, came=position <= came))
    EventAttendee.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("subscriptions", "0008_a_register_of_names_at_events")]

    operations = [migrations.RunPython(register_rows, migrations.RunPython.noop)]
