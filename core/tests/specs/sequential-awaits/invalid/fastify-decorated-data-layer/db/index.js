const { MongoClient } = require('mongodb');
const UserDb = require('./user');
const OrgDb = require('./org');
class Db {
  constructor() {
    this.client = new MongoClient(process.env.MONGO_URI);
    this.user = new UserDb(this.client);
    this.organization = new OrgDb(this.client);
  }
}
module.exports = Db;
