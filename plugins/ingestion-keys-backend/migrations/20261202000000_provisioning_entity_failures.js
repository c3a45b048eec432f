// @ts-check

/**
 * Each entity's part of the last provisioning run: its failures, read by the entity's status on
 * their own, so that a request never parses the whole run's report. Runs keep why they stopped
 * early next to their (bounded) report for the same reason.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ingestion_key_provisioning_runs', table => {
    table.text('error').nullable();
  });
  await knex.schema.createTable(
    'ingestion_key_provisioning_entity_failures',
    table => {
      table.bigInteger('run_id').notNullable();
      table.string('entity_ref', 255).notNullable();
      table.text('failed').notNullable();
      table.primary(['run_id', 'entity_ref']);
    },
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ingestion_key_provisioning_entity_failures');
  await knex.schema.alterTable('ingestion_key_provisioning_runs', table => {
    table.dropColumn('error');
  });
};
