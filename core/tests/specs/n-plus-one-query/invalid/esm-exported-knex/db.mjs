import knex from 'knex';

// A client exported as the module's default: importers reach Knex through it.
export default knex({ client: 'pg', connection: process.env.DATABASE_URL });
