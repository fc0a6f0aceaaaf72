const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const Document = sequelize.define('Document', { title: DataTypes.STRING });
const Subscription = sequelize.define('Subscription', { userId: DataTypes.UUID, documentId: DataTypes.UUID });
const Notification = sequelize.define('Notification', { userId: DataTypes.UUID, event: DataTypes.STRING });

module.exports = { Document, Subscription, Notification };
