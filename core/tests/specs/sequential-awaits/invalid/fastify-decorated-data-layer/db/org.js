class OrgDb {
  constructor(client) { this.db = client.db('app'); }
  async get({ orgId }) { return this.db.collection('orgs').findOne({ _id: orgId }); }
}
module.exports = OrgDb;
