// @ts-check

/**
 * Indexes for finding keys by name, by the key store's id and by when they became undesired,
 * each of which read the whole table without one: which of the store's keys are recorded (by
 * name or store id), a key by name (deliveries, External Secrets pulls), whether a listed key
 * was revoked, and the undesired keys of the provisioning overview (about 20 ms per call at
 * 60,000 keys).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ingestion_keys', table => {
    table.index(['name'], 'ingestion_keys_name_idx');
    table.index(['provider_key_id'], 'ingestion_keys_provider_key_idx');
    table.index(['undesired_since'], 'ingestion_keys_undesired_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ingestion_keys', table => {
    table.dropIndex(['name'], 'ingestion_keys_name_idx');
    table.dropIndex(['provider_key_id'], 'ingestion_keys_provider_key_idx');
    table.dropIndex(['undesired_since'], 'ingestion_keys_undesired_idx');
  });
};
