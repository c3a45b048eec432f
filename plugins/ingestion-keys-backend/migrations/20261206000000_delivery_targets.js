// @ts-check

/**
 * Delivery targets and the deliveries made to them.
 *
 * A target belongs to a key identity (entity, environment, type, integration), not to one key, so
 * that a rotation's successor goes where its predecessor went; `identity` matches the keys table's
 * `identity_slot` of the identity's live key, which is how the targets due a delivery are found
 * in one query. The target row keeps what it holds now and its last delivery, for the tab and
 * for finishing rotations; `ingestion_key_deliveries` keeps every delivery as history.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ingestion_key_targets', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('type', 16).notNullable();
    table.string('integration', 63).nullable();
    table.string('identity', 512).notNullable();
    table.string('target', 512).notNullable();
    table.string('kind', 64).notNullable();
    table.string('origin', 16).notNullable();
    table.string('added_by', 255).notNullable();
    table.timestamp('added_at', { useTz: true }).notNullable();
    table.string('current_key_id', 36).nullable();
    table.integer('current_generation').nullable();
    table.timestamp('current_since', { useTz: true }).nullable();
    table.string('last_key_id', 36).nullable();
    table.string('last_key_name', 63).nullable();
    table.integer('last_generation').nullable();
    table.string('last_outcome', 16).nullable();
    table.timestamp('last_at', { useTz: true }).nullable();
    table.text('last_location').nullable();
    table.text('last_error').nullable();
    table.unique(['identity', 'target'], {
      indexName: 'ingestion_key_targets_identity_target_idx',
    });
    table.index(['entity_ref'], 'ingestion_key_targets_entity_idx');
    table.index(['last_outcome'], 'ingestion_key_targets_outcome_idx');
  });
  await knex.schema.createTable('ingestion_key_deliveries', table => {
    table.bigIncrements('id').primary();
    table.string('target_id', 36).notNullable();
    table.string('key_id', 36).notNullable();
    table.string('key_name', 63).notNullable();
    table.integer('generation').notNullable();
    table.string('outcome', 16).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('location').nullable();
    table.text('error').nullable();
    table.index(['target_id', 'at'], 'ingestion_key_deliveries_target_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ingestion_key_deliveries');
  await knex.schema.dropTable('ingestion_key_targets');
};
