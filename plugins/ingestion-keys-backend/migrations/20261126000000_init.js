// @ts-check

/**
 * Key records, their audit trail and the embedded key store.
 *
 * Uniqueness that concurrency relies on lives here, not in code: `identity_slot` holds the
 * identity (entity, environment, type, integration) of the one live key per identity and
 * `name_slot` the name of every live key; both are cleared when a key stops holding them, and
 * NULLs never collide in PostgreSQL or SQLite.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ingestion_keys', table => {
    table.string('id', 36).primary();
    table.string('provider', 64).notNullable();
    table.string('provider_key_id', 255).nullable();
    table.string('name', 63).notNullable();
    table.string('name_slot', 63).nullable().unique();
    table.string('type', 16).notNullable();
    table.boolean('remote_config').notNullable().defaultTo(false);
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('integration', 63).nullable();
    table.string('identity_slot', 512).nullable().unique();
    table.integer('generation').notNullable().defaultTo(1);
    table.string('status', 16).notNullable();
    table.string('origin', 16).notNullable();
    table.string('owner_ref', 255).nullable();
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('replaces_id', 36).nullable();
    table.string('replaced_by_id', 36).nullable();
    table.string('revoked_by', 255).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'created_at'], 'ingestion_keys_entity_idx');
    table.index(['created_at'], 'ingestion_keys_created_idx');
  });

  await knex.schema.createTable('ingestion_key_events', table => {
    table.bigIncrements('id').primary();
    table.string('key_id', 36).notNullable();
    table.string('key_name', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('action', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['key_id'], 'ingestion_key_events_key_idx');
    table.index(['entity_ref', 'at'], 'ingestion_key_events_entity_idx');
  });

  await knex.schema.createTable('embedded_keys', table => {
    table.string('name', 63).primary();
    table.string('id', 36).notNullable();
    table.string('type', 16).notNullable();
    table.boolean('remote_config').notNullable();
    table.text('tags').notNullable();
    table
      .text('secret')
      .notNullable()
      .comment('AES-256-GCM: iv.tag.ciphertext, base64');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('embedded_keys');
  await knex.schema.dropTable('ingestion_key_events');
  await knex.schema.dropTable('ingestion_keys');
};
