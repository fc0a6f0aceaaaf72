// From chaunnt/TemplateNodeJS_HapiAndMySQL (hapi + Knex/MySQL): the server is composed by
// glue, the routes are arrays exported by each module and joined in config/routes.js,
// every route's config object lives in another file, and its handler dispatches to the
// module's manager by name. backlens found 0 endpoints in this layout before.
const Glue = require('glue');
const Routes = require('./config/routes');
const Manifest = require('./config/manifest');

Glue.compose(Manifest, { relativeTo: __dirname }, (err, server) => {
  if (err) {
    throw err;
  }
  server.start(() => console.info('Server running at:', server.info.uri));
  server.route(Routes);
});
