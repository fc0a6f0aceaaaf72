// A service one layer above the data layer.
const queries = require('../queries');

exports.linkStats = async function linkStats(link) {
  const rows = await queries.link.visits(link.id);
  return { id: link.id, visits: rows.length };
};
