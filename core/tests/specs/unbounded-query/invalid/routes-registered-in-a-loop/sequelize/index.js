const { Sequelize } = require('sequelize');

const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'example-db.sqlite' });
require('./user.model')(sequelize);

module.exports = sequelize;
