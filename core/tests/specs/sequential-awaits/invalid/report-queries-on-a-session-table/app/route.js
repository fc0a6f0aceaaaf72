const { rawQuery } = require('../lib/db');

async function getRevenueMetrics(websiteId) {
  const country = await rawQuery( // expect: sequential-awaits
    `select session.country as name, sum(revenue) as value
       from revenue join session on session.session_id = revenue.session_id
      where revenue.website_id = $1 group by session.country`,
    [websiteId],
  );
  const region = await rawQuery(
    `select session.region as name, sum(revenue) as value
       from revenue join session on session.session_id = revenue.session_id
      where revenue.website_id = $1 group by session.region`,
    [websiteId],
  );
  return { country, region };
}

module.exports = async function handler(req, res) {
  res.json(await getRevenueMetrics(req.query.websiteId));
};
