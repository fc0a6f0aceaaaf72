'use strict';
const Users = require('../api/users');
module.exports = [
  { method: 'POST', path: '/user/login', handler: Users.login, config: { auth: false } },
  { method: 'GET', path: '/user/{id}', handler: Users.find },
];
