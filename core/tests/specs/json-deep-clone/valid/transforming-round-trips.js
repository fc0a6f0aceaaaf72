// A replacer, an indentation or a reviver make the round trip a transformation, not a copy;
// parsing anything else is not a clone; module-level start-up code runs once.
const template = JSON.parse(JSON.stringify(require('./template.json')));

function exportRows(rows, body) {
  const pretty = JSON.parse(JSON.stringify(rows, null, 2));
  const withoutSecrets = JSON.parse(JSON.stringify(rows, (k, v) => (k === 'password' ? undefined : v)));
  const dated = JSON.parse(JSON.stringify(rows), (k, v) => (k === 'at' ? new Date(v) : v));
  const input = JSON.parse(body);
  const copy = structuredClone(rows);
  return { template, pretty, withoutSecrets, dated, input, copy };
}

module.exports = { exportRows };
