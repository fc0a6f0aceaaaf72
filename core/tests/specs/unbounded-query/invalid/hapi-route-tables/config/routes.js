let APIs = [
  {
    method: 'GET',
    path: '/HealthCheck',
    handler: function (request, reply) {
      return reply('Hi').code(200);
    },
  },
];
APIs = APIs.concat(require('../API/Books/route'));
module.exports = APIs;
