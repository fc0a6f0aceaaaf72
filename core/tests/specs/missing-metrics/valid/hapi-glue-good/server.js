// A Glue-composed hapi server (chaunnt/TemplateNodeJS_HapiAndMySQL) whose manifest registers
// `good`: its response events carry each request's responseTime, so the app is measured.
'use strict';
const Glue = require('glue');
const Manifest = require('./config/manifest');
const Routes = require('./config/routes');

Glue.compose(Manifest, { relativeTo: __dirname }, (err, server) => {
  if (err) {
    throw err;
  }
  server.start(() => console.log('Server running at:', server.info.uri));
  server.auth.strategy('jwt', 'jwt', { key: process.env.JWT_SECRET, verifyOptions: { algorithms: ['HS256'] } });
  server.route(Routes);
});
