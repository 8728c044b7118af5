from tortoise import migrations
from tortoise.migrations import operations as ops
from events.models import EventStatus, PhoneStorage, Role, VenueKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Organisation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('website', fields.CharField(default='', max_length=300)),
                ('email', fields.CharField(default='', max_length=254)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'organisation', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Venue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='venues', on_delete=OnDelete.RESTRICT)),
                ('slug', fields.CharField(unique=True, max_length=80)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharEnumField(default=VenueKind.OTHER, description='CAFE: cafe\nTHEATRE: theatre\nLIBRARY: library\nVILLAGE_HALL: village_hall\nCOMMUNITY_CENTRE: community_centre\nOTHER: other', enum_type=VenueKind, max_length=20)),
                ('description', fields.TextField(default='', unique=False)),
                ('address', fields.CharField(max_length=200)),
                ('postcode', fields.CharField(max_length=10)),
                ('town', fields.CharField(db_index=True, max_length=100)),
                ('step_free_entrance', fields.BooleanField(default=False)),
                ('accessible_toilet', fields.BooleanField(default=False)),
                ('hearing_loop', fields.BooleanField(default=False)),
                ('quiet_room', fields.BooleanField(default=False)),
                ('phone_storage', fields.CharEnumField(default=PhoneStorage.NONE, description='POUCHES: pouches\nLOCKERS: lockers\nBASKET: basket\nNONE: none', enum_type=PhoneStorage, max_length=10)),
                ('capacity', fields.IntField(default=30)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'venue', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=120)),
                ('title', fields.CharField(max_length=200)),
                ('summary', fields.CharField(default='', max_length=300)),
                ('description', fields.TextField(default='', unique=False)),
                ('venue', fields.ForeignKeyField('models.Venue', source_field='venue_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=EventStatus.DRAFT, description='DRAFT: draft\nPUBLISHED: published\nCANCELLED: cancelled', enum_type=EventStatus, max_length=10)),
                ('places_young', fields.IntField(default=0)),
                ('places_older', fields.IntField(default=0)),
                ('places_open', fields.IntField(default=0)),
                ('young_min_age', fields.IntField(default=12)),
                ('young_max_age', fields.IntField(default=30)),
                ('older_min_age', fields.IntField(default=65)),
                ('phone_rules', fields.TextField(default='', unique=False)),
                ('has_tables', fields.BooleanField(default=False)),
                ('table_size', fields.IntField(default=4)),
                ('table_rounds', fields.IntField(default=1)),
                ('sequence', fields.IntField(default=0)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'event', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffUser',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('name', fields.CharField(default='', max_length=100)),
                ('password_hash', fields.CharField(max_length=200)),
                ('role', fields.CharEnumField(description='ORGANISER: organiser\nHOST: host\nADMIN: admin', enum_type=Role, max_length=10)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', null=True, db_constraint=True, to_field='id', related_name='staff', on_delete=OnDelete.CASCADE)),
                ('venues', fields.ManyToManyField('models.Venue', unique=True, db_constraint=True, through='staff_venue', forward_key='venue_id', backward_key='staff_user_id', related_name='hosts', on_delete=OnDelete.CASCADE)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_login_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_user', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
