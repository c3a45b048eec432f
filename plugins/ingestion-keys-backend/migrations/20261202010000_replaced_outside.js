// @ts-check

/**
 * When reveal or revoke found the key store's key of a record's name to be another key than the
 * one recorded (the portal's key deleted there and one of the same name made), so that the
 * entity's tab and the org page can say so.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ingestion_keys', table => {
    table.timestamp('replaced_outside_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ingestion_keys', table => {
    table.dropColumn('replaced_outside_at');
  });
};
