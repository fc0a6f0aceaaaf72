const { Sequelize, DataTypes } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);
const Invoice = sequelize.define('Invoice', { accountId: DataTypes.INTEGER });
const Customer = sequelize.define('Customer', { customerId: DataTypes.INTEGER });
module.exports = { Invoice, Customer };
