'use strict';

// An in-memory stand-in for a model (expressjs/express examples/view-locals/user.js):
// `User.count()` looks like an ORM call, but this file defines it.
module.exports = User;

function User(name, age) {
  this.name = name;
  this.age = age;
}

User.all = function (fn) {
  process.nextTick(function () {
    fn(null, users);
  });
};

User.count = function (fn) {
  process.nextTick(function () {
    fn(null, users.length);
  });
};

const users = [new User('Tobi', 2), new User('Loki', 1)];
