from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_checkin_and_tables')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateHit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=20)),
                ('key', fields.CharField(max_length=128)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rate_hit', 'app': 'models', 'indexes': [Index(fields=['kind', 'key', 'at'])], 'pk_attr': 'id', 'table_description': 'One counted attempt for a rate limit (sign-ups, failed sign-ins), kept in the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('models.StaffUser', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_session', 'app': 'models', 'pk_attr': 'id', 'table_description': "A signed-in staff member's session, kept on the server: the cookie holds only a"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Event',
            name='cancel_reason',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='Organisation',
            name='contact_name',
            field=fields.CharField(default='', max_length=100),
        ),
        ops.AddField(
            model_name='Organisation',
            name='contact_phone',
            field=fields.CharField(default='', max_length=30),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='reply_to',
            field=fields.CharField(default='', max_length=254),
        ),
        ops.AddField(
            model_name='Registration',
            name='call_needed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Registration',
            name='called_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Registration',
            name='guardian_declined_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Registration',
            name='guardian_requests',
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name='Registration',
            name='over_capacity',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Registration',
            name='phone',
            field=fields.CharField(null=True, max_length=30),
        ),
    ]
