'use strict';
const manifest = {
  connections: [{ port: process.env.PORT || 5001, routes: { cors: true } }],
  registrations: [
    {
      plugin: {
        register: 'hapi-auth-jwt',
        options: { secret: process.env.JWT_SECRET },
      },
    },
  ],
};
manifest.registrations.push({
  plugin: {
    register: 'good',
    options: { reporters: { console: [{ module: 'good-console' }, 'stdout'] } },
  },
});
module.exports = manifest;
