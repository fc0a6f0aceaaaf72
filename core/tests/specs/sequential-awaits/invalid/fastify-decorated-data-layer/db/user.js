class UserDb {
  constructor(client) { this.db = client.db('app'); }
  async get({ userId }) { return this.db.collection('users').findOne({ _id: userId }); }
}
module.exports = UserDb;
