// @ts-check

/**
 * Provisioning bookkeeping: when a provisioned key stopped being wanted (for reporting and the
 * opt-in grace period before revoking), and the report of each reconciler run, shared by every
 * backend instance through the database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ingestion_keys', table => {
    table.timestamp('undesired_since', { useTz: true }).nullable();
    table.string('undesired_reason', 32).nullable();
    table.index(['origin', 'status'], 'ingestion_keys_origin_idx');
  });
  await knex.schema.createTable('ingestion_key_provisioning_runs', table => {
    table.bigIncrements('id').primary();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.text('report').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ingestion_key_provisioning_runs');
  await knex.schema.alterTable('ingestion_keys', table => {
    table.dropIndex(['origin', 'status'], 'ingestion_keys_origin_idx');
    table.dropColumn('undesired_since');
    table.dropColumn('undesired_reason');
  });
};
