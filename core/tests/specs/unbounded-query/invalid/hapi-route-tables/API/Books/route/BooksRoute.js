'use strict';
const moduleName = 'Books';
const Manager = require(`../manager/${moduleName}Manager`);
const Joi = require('joi');
const Response = require('../../Common/response').setup(Manager);

module.exports = {
  find: {
    tags: ['api', `${moduleName}`],
    validate: { payload: Joi.object({ filter: Joi.object() }) },
    handler: function (req, res) {
      Response(req, res, 'find');
    },
  },
  findById: {
    tags: ['api', `${moduleName}`],
    validate: { payload: Joi.object({ id: Joi.number().min(0) }) },
    handler: function (req, res) {
      Response(req, res, 'findById');
    },
  },
};
