const { Sequelize, DataTypes } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);
const Order = sequelize.define('Order', { userId: DataTypes.INTEGER });
const Product = sequelize.define('Product', { productId: DataTypes.INTEGER });
module.exports = { Order, Product };
