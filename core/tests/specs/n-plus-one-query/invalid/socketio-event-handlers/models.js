const { Sequelize, DataTypes } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);
const Room = sequelize.define('Room', { ownerId: DataTypes.INTEGER });
const Member = sequelize.define('Member', { roomId: DataTypes.INTEGER });
module.exports = { Room, Member };
