"""lean coffee: rounds, participants, presence, topics, votes, Roman votes, thumbs, notes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:31:00

"""
from alembic import op
import sqlalchemy as sa

import peerlab.core.types


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('lean_coffee_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.Column('planned_minutes', sa.Integer(), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('vote_budget', sa.Integer(), nullable=False),
    sa.Column('multiple_dots', sa.Boolean(), nullable=False),
    sa.Column('timebox_seconds', sa.Integer(), nullable=False),
    sa.Column('extension_percent', sa.Integer(), nullable=False),
    sa.Column('min_extension_seconds', sa.Integer(), nullable=False),
    sa.Column('anonymous_allowed', sa.Boolean(), nullable=False),
    sa.Column('access', sa.String(length=10), nullable=False),
    sa.Column('link_nonce', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current_topic_id', sa.Integer(), nullable=True),
    sa.Column('timebox_id', sa.Integer(), nullable=True),
    sa.Column('segment_seconds', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.Column('cancelled_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.Column('closed_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.Column('summary_mailed_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_lean_coffee_rounds_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['follow_up_of_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_rounds_follow_up_of_id_lean_coffee_rounds'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_rounds'))
    )
    with op.batch_alter_table('lean_coffee_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_rounds_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_rounds_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_rounds_starts_at'), ['starts_at'], unique=False)

    op.create_table('lean_coffee_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_id', sa.Integer(), nullable=True),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('votes_used', sa.Integer(), nullable=False),
    sa.Column('joined_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.Column('removed_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.Column('closing_text', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['guest_id'], ['guest_passes.id'], name=op.f('fk_lean_coffee_participants_guest_id_guest_passes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_participants_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lean_coffee_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_participants')),
    sa.UniqueConstraint('round_id', 'guest_id', name=op.f('uq_lean_coffee_participants_round_id_guest_id')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_lean_coffee_participants_round_id_user_id'))
    )
    with op.batch_alter_table('lean_coffee_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_participants_guest_id'), ['guest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_participants_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_participants_user_id'), ['user_id'], unique=False)

    op.create_table('lean_coffee_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('process_id', sa.String(length=32), nullable=False),
    sa.Column('connected_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_presence_participant_id_lean_coffee_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_presence_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_presence'))
    )
    with op.batch_alter_table('lean_coffee_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_presence_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_presence_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_presence_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_presence_sid'), ['sid'], unique=False)

    op.create_table('lean_coffee_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('detail', sa.String(length=280), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('author_nonce', sa.String(length=32), nullable=True),
    sa.Column('author_mark', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('queue_pos', sa.Integer(), nullable=True),
    sa.Column('final_votes', sa.Integer(), nullable=True),
    sa.Column('discussed_order', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_topics_author_id_lean_coffee_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_topics_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_topics'))
    )
    with op.batch_alter_table('lean_coffee_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_topics_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_topics_round_id'), ['round_id'], unique=False)

    op.create_table('lean_coffee_action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('owner_participant_id', sa.Integer(), nullable=True),
    sa.Column('owner_name', sa.String(length=60), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_action_items_owner_participant_id_lean_coffee_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_action_items_participant_id_lean_coffee_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_action_items_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['lean_coffee_topics.id'], name=op.f('fk_lean_coffee_action_items_topic_id_lean_coffee_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_action_items'))
    )
    with op.batch_alter_table('lean_coffee_action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_action_items_owner_participant_id'), ['owner_participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_action_items_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_action_items_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_action_items_topic_id'), ['topic_id'], unique=False)

    op.create_table('lean_coffee_roman_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.Column('closes_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.Column('closed_at', peerlab.core.types.UTCDateTime(), nullable=True),
    sa.Column('previous_seconds', sa.Integer(), nullable=False),
    sa.Column('up', sa.Integer(), nullable=True),
    sa.Column('side', sa.Integer(), nullable=True),
    sa.Column('down', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('overridden', sa.Boolean(), nullable=False),
    sa.Column('extension_seconds', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_roman_votes_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['lean_coffee_topics.id'], name=op.f('fk_lean_coffee_roman_votes_topic_id_lean_coffee_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_roman_votes'))
    )
    with op.batch_alter_table('lean_coffee_roman_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_roman_votes_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_roman_votes_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_roman_votes_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_roman_votes_topic_id'), ['topic_id'], unique=False)

    op.create_table('lean_coffee_takeaways',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=280), nullable=False),
    sa.Column('created_at', peerlab.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_takeaways_participant_id_lean_coffee_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_takeaways_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['lean_coffee_topics.id'], name=op.f('fk_lean_coffee_takeaways_topic_id_lean_coffee_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_takeaways'))
    )
    with op.batch_alter_table('lean_coffee_takeaways', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_takeaways_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_takeaways_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_takeaways_topic_id'), ['topic_id'], unique=False)

    op.create_table('lean_coffee_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_votes_participant_id_lean_coffee_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['lean_coffee_rounds.id'], name=op.f('fk_lean_coffee_votes_round_id_lean_coffee_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['lean_coffee_topics.id'], name=op.f('fk_lean_coffee_votes_topic_id_lean_coffee_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_votes')),
    sa.UniqueConstraint('topic_id', 'participant_id', name=op.f('uq_lean_coffee_votes_topic_id_participant_id'))
    )
    with op.batch_alter_table('lean_coffee_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_votes_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_votes_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_votes_topic_id'), ['topic_id'], unique=False)

    op.create_table('lean_coffee_thumbs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roman_vote_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['lean_coffee_participants.id'], name=op.f('fk_lean_coffee_thumbs_participant_id_lean_coffee_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roman_vote_id'], ['lean_coffee_roman_votes.id'], name=op.f('fk_lean_coffee_thumbs_roman_vote_id_lean_coffee_roman_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lean_coffee_thumbs')),
    sa.UniqueConstraint('roman_vote_id', 'participant_id', name=op.f('uq_lean_coffee_thumbs_roman_vote_id_participant_id'))
    )
    with op.batch_alter_table('lean_coffee_thumbs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lean_coffee_thumbs_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lean_coffee_thumbs_roman_vote_id'), ['roman_vote_id'], unique=False)

    

def downgrade():

    with op.batch_alter_table('lean_coffee_thumbs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_thumbs_roman_vote_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_thumbs_participant_id'))

    op.drop_table('lean_coffee_thumbs')
    with op.batch_alter_table('lean_coffee_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_votes_topic_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_votes_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_votes_participant_id'))

    op.drop_table('lean_coffee_votes')
    with op.batch_alter_table('lean_coffee_takeaways', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_takeaways_topic_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_takeaways_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_takeaways_participant_id'))

    op.drop_table('lean_coffee_takeaways')
    with op.batch_alter_table('lean_coffee_roman_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_roman_votes_topic_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_roman_votes_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_roman_votes_closes_at'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_roman_votes_closed_at'))

    op.drop_table('lean_coffee_roman_votes')
    with op.batch_alter_table('lean_coffee_action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_action_items_topic_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_action_items_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_action_items_participant_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_action_items_owner_participant_id'))

    op.drop_table('lean_coffee_action_items')
    with op.batch_alter_table('lean_coffee_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_topics_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_topics_author_id'))

    op.drop_table('lean_coffee_topics')
    with op.batch_alter_table('lean_coffee_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_presence_sid'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_presence_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_presence_process_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_presence_participant_id'))

    op.drop_table('lean_coffee_presence')
    with op.batch_alter_table('lean_coffee_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_participants_user_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_participants_round_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_participants_guest_id'))

    op.drop_table('lean_coffee_participants')
    with op.batch_alter_table('lean_coffee_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lean_coffee_rounds_starts_at'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_rounds_group_id'))
        batch_op.drop_index(batch_op.f('ix_lean_coffee_rounds_created_by_id'))

    op.drop_table('lean_coffee_rounds')
    
