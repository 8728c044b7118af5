from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CheckIn',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.CASCADE)),
                ('registration', fields.OneToOneField('models.Registration', source_field='registration_id', db_constraint=True, to_field='id', related_name='checkin', on_delete=OnDelete.CASCADE)),
                ('scanned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('device_id', fields.CharField(max_length=64)),
                ('nonce', fields.CharField(max_length=64)),
                ('pouch', fields.CharField(default='', max_length=20)),
                ('undone_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('checked_out_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'checkin', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A registration marked present at the door: one row per registration. The earliest'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConversationStarter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('models.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='starters', on_delete=OnDelete.CASCADE)),
                ('text', fields.CharField(max_length=300)),
                ('locale', fields.CharField(default='nl', max_length=5)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'conversation_starter', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A question for a conversation table. Built-in ones live in code, these are the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScanAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='scan_attempts', on_delete=OnDelete.CASCADE)),
                ('registration', fields.ForeignKeyField('models.Registration', source_field='registration_id', null=True, db_constraint=True, to_field='id', related_name='scan_attempts', on_delete=OnDelete.SET_NULL)),
                ('nonce', fields.CharField(unique=True, max_length=64)),
                ('device_id', fields.CharField(max_length=64)),
                ('code', fields.CharField(default='', max_length=64)),
                ('scanned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('outcome', fields.CharField(max_length=30)),
                ('detail', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'scan_attempt', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Every check-in attempt from any device, failed ones included. The nonce makes a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TablePlan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.OneToOneField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='table_plan', on_delete=OnDelete.CASCADE)),
                ('source', fields.CharField(default='registered', max_length=12)),
                ('seed', fields.IntField(default=1)),
                ('rounds', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('scorecard', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('locked', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'table_plan', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The stored seating of an event: rounds of tables of registration ids, and the'},
            bases=['Model'],
        ),
    ]
